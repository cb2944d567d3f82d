"""The dossier (issue item 10): each stage's standard documents as PDF, from the case's own records.

The documents are the common provincial layouts of 《中国共产党发展党员工作细则》's forms, filled from
the case (no free typing): a missing item prints as a blank line to be completed by hand, never as
made-up text.  Rendering (with a CJK font) is `core.pdf.render_pdf`.
"""

from dataclasses import dataclass

from django.utils import timezone

from qiangji.core.pdf import render_pdf
from qiangji.recruitment.choices import MeetingPurpose, NoticePurpose, SignOffLevel
from qiangji.recruitment.selectors.cases import case_page, checklist


@dataclass(frozen=True)
class Document:
    slug: str
    title: str
    step: int  # the step after which the document exists
    template: str


DOCUMENTS = {
    doc.slug: doc
    for doc in (
        Document("activist", "入党积极分子备案表", 3, "recruitment/pdf/activist.html"),
        Document("target", "发展对象备案表", 7, "recruitment/pdf/target.html"),
        Document("notice", "公示", 1, "recruitment/pdf/notice.html"),
        Document("pre-review", "发展对象预审表", 12, "recruitment/pdf/pre_review.html"),
        Document("approval", "接收预备党员审批通知", 17, "recruitment/pdf/approval.html"),
        Document("confirmation", "预备党员转正通知", 24, "recruitment/pdf/confirmation.html"),
        Document("checklist", "发展党员档案材料归档清单", 1, "recruitment/pdf/checklist.html"),
    )
}


def available(case) -> list[Document]:
    """The documents the case's progress allows (a notice needs a notice; the rest a step done)."""
    docs = [doc for doc in DOCUMENTS.values() if case.step >= doc.step and doc.slug != "notice"]
    if case.notices.exists():
        docs.insert(2, DOCUMENTS["notice"])
    return docs


def context_for(case, doc: Document, *, notice_pk=None) -> dict:
    page = case_page(case)
    signoffs = {s.level: s for s in page["signoffs"]}  # the latest of each level wins
    votes = {v.meeting.purpose: v for v in page["votes"]}
    notices = page["notices"]
    notice = (
        next((n for n in notices if n.pk == notice_pk), None)
        if notice_pk
        else (notices[-1] if notices else None)
    )
    done = {record.step: record for record in page["timeline"]}
    parent = case.organisation.get_parent()
    return {
        **page,
        "case": case,
        "doc": doc,
        "title": doc.title,
        "branch": case.organisation,
        "committee": parent,
        "done": done,
        "signoff": signoffs,
        "pre_review": signoffs.get(SignOffLevel.PRE_REVIEW),
        "approval": signoffs.get(SignOffLevel.APPROVAL),
        "confirmation_approval": signoffs.get(SignOffLevel.CONFIRMATION_APPROVAL),
        "admission_vote": votes.get(MeetingPurpose.ADMISSION),
        "confirmation_vote": votes.get(MeetingPurpose.CONFIRMATION),
        "notice": notice,
        "notice_purposes": dict(NoticePurpose.choices),
        "checklist": checklist(case, page["documents"]),
        "admission_form": getattr(case, "admission_form", None) if case.step >= 14 else None,
        "generated_at": timezone.localtime(),
    }


def render(case, slug: str, *, notice_pk=None) -> tuple[Document, bytes]:
    doc = DOCUMENTS[slug]
    return doc, render_pdf(doc.template, context_for(case, doc, notice_pk=notice_pk))
