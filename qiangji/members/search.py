"""Member search for pickers (`members:search`): the roster's search (name, pinyin, initials, last digits
of the ID number or phone) over the members the user may `action`, at most 20, with where each one is."""

from qiangji.core.choices import Action
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.members.selectors import search_members

MAX_RESULTS = 20


def member_search(
    user, q: str, action: str = Action.VIEW, *, org=None, on_roll_only: bool = True
) -> list[dict]:
    text = (q or "").strip()[:60]
    if not text:
        return []
    base = Member.objects.visible_to(user, action)
    if on_roll_only:
        base = base.filter(status__in=ON_ROLL)
    if org is not None:
        base = base.filter(org_path__startswith=org.path)
    found = search_members(base, text, within=org.path if org else None).select_related("organisation")
    return [
        {
            "id": member.pk,
            "name": member.name,
            "org_name": member.organisation.name,
            "kind": member.get_status_display(),
            "id_suffix": member.id_suffix,
        }
        for member in found[:MAX_RESULTS]
    ]
