"""HTML forms of the pipeline: they only shape input; the checks (validation, gates) live in the services,
so a form, an API call and an import refuse the same things with the same messages."""

from qiangji.recruitment.forms.application import ApplicationForm, TransferForm  # noqa: F401
from qiangji.recruitment.forms.base import add_errors  # noqa: F401
