"""Pages of online courses: list, create, chapters (upload), publish, the player and the media files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin, ServiceFormView
from qiangji.education import selectors, services
from qiangji.education.choices import ChapterKind
from qiangji.education.forms import ChapterForm, CourseForm
from qiangji.education.models import Chapter, Course
from qiangji.education.views.base import ranged_file_response
from qiangji.orgs.models import Organisation


def _may_change(user, path: str) -> bool:
    return scope_of(user).allows(Action.CHANGE, path)


class CourseListView(ScopedMixin, TemplateView):
    template_name = "education/course_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "courses": selectors.courses_for(user)[:200],
            "may_create": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class CourseCreateView(ScopedMixin, ServiceFormView):
    template_name = "education/form.html"
    form_class = CourseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_superuser or scope_of(request.user).paths_for(Action.CHANGE)
        ):
            raise Http404("您的账号没有管理的党组织")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("新建网络课程")}

    def perform(self, form):
        org = Organisation.objects.visible_to(self.request.user, Action.CHANGE).order_by("path").first()
        if org is None:
            raise Http404("您的账号没有管理的党组织")
        return services.create_course(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:course-detail", args=[result.pk])


class CourseDetailView(ScopedMixin, TemplateView):
    template_name = "education/course_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        course = get_in_scope_or_404(Course, user, self.kwargs["pk"], Action.VIEW)
        chapters = list(Chapter.objects.visible_to(user, Action.VIEW).filter(course=course))
        progress = {}
        member_ids = scope_of(user).member_ids
        if member_ids:
            progress = selectors.chapter_progress(services.learner_of(user), chapters)
        rows = [{"chapter": c, "progress": progress.get(c.pk)} for c in chapters]
        return super().get_context_data(**kwargs) | {
            "course": course,
            "rows": rows,
            "may_change": _may_change(user, course.org_path),
        }


class CoursePublishView(ScopedMixin, View):
    def post(self, request, pk):
        course = get_in_scope_or_404(Course, request.user, pk, Action.CHANGE)
        try:
            services.publish_course(actor=request.user, course=course)
            messages.success(request, _("课程已发布。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("education:course-detail", pk=course.pk)


class ChapterCreateView(ScopedMixin, ServiceFormView):
    template_name = "education/form.html"
    form_class = ChapterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.course = get_in_scope_or_404(Course, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("上传课程章节"),
            "object": self.course,
            "multipart": True,
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.add_chapter(
            actor=self.request.user,
            course=self.course,
            title=data["title"],
            hours=data["hours"],
            upload=data.get("file"),
            body=data.get("body") or "",
            duration_seconds=data.get("duration_seconds"),
            checks=data["checks"],
        )

    def get_success_redirect(self, result) -> str:
        return reverse("education:course-detail", args=[self.course.pk])


class ChapterPlayView(ScopedMixin, TemplateView):
    """The learner's player: the page starts a session through the API, reports what was played every
    few seconds, pauses the clock when the tab is hidden and shows the random checks."""

    template_name = "education/chapter_play.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        chapter = get_in_scope_or_404(Chapter, user, self.kwargs["pk"], Action.VIEW)
        learner = bool(scope_of(user).member_ids)
        progress = (
            selectors.chapter_progress(services.learner_of(user), [chapter])[chapter.pk] if learner else None
        )
        return super().get_context_data(**kwargs) | {
            "chapter": chapter,
            "course": chapter.course,
            "learner": learner,
            "progress": progress,
            "timed": chapter.kind in (ChapterKind.VIDEO, ChapterKind.AUDIO),
        }


class ChapterMediaView(ScopedMixin, View):
    """The chapter's file through the scope, with Range support (a video seeks); PDFs as attachments."""

    def get(self, request, pk):
        chapter = get_in_scope_or_404(Chapter, request.user, pk, Action.VIEW)
        if not chapter.file:
            raise Http404("该章节没有文件")
        return ranged_file_response(
            request,
            chapter.file,
            content_type=chapter.content_type,
            attachment=chapter.kind == ChapterKind.PDF,
        )
