"""Sign-in and password forms: Django's own (its messages are translated), with house widgets."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class SignInForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("用户名"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。连续5次失败后账号将被临时锁定。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, two new ones, AUTH_PASSWORD_VALIDATORS); saving is the service's job."""

    def save(self, commit=True):
        raise NotImplementedError("use qiangji.core.services.change_password")
