"""The assessment API: scores with every line, explanations with the records behind them, ratings."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.assessment import filters, selectors, services
from qiangji.assessment.api import serializers as s
from qiangji.assessment.models import Score, StarRating
from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}
READ_ERRORS = {code: ERROR_RESPONSES[code] for code in (401, 403, 404)}


def _stars(request) -> dict:
    serializer = s.StarsInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def explanation_data(score: Score) -> dict:
    view = selectors.explain_score(score)
    return {
        "score": score.pk,
        "total": score.total,
        "stars": score.stars,
        "next_stars": view.next_stars,
        "gap": view.gap,
        "lines": [
            {
                "line": lv.line.pk,
                "label": lv.line.label,
                "points": lv.line.points,
                "max_points": lv.line.max_points,
                "lost": lv.lost,
                "source": lv.explanation.source.key if lv.explanation else "",
                "items": [vars(item) for item in (lv.explanation.items if lv.explanation else [])],
            }
            for lv in view.lines
        ],
    }


class IndicatorSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sets owned in the user's subtree or above it (the sets that rate the user's organisations)."""

    serializer_class = s.IndicatorSetSerializer

    def get_queryset(self):
        return selectors.sets_for(self.request.user).order_by("-year", "org_path", "pk")

    @extend_schema(
        summary="考核指标体系", responses={200: s.IndicatorSetSerializer(many=True), **READ_ERRORS}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="考核指标体系详情", responses={200: s.IndicatorSetSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="考核得分（已发布或本级的预览）"),
)
class ScoreViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Score.objects.select_related("run").order_by("run_id", "-total", "org_path", "pk")
    serializer_class = s.ScoreSerializer
    filterset_class = filters.ScoreFilter

    def get_serializer_class(self):
        return s.ScoreDetailSerializer if self.action == "retrieve" else s.ScoreSerializer

    @extend_schema(
        summary="一个组织的得分与每一项得分", responses={200: s.ScoreDetailSerializer, **READ_ERRORS}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="得分说明：每一项得分背后的记录（含链接）和距下一星级所缺的事项",
        responses={200: s.ExplanationSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def explanation(self, request, pk=None):
        score = get_in_scope_or_404(
            Score,
            request.user,
            pk,
        )
        return Response(s.ExplanationSerializer(explanation_data(score)).data)

    @extend_schema(
        summary="星级自评（得分须已发布）",
        request=s.StarsInputSerializer,
        responses={201: s.RatingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        score = get_in_scope_or_404(Score, request.user, pk, Action.CHANGE)
        data = _stars(request)
        rating = services.self_assess(actor=request.user, score=score, stars=data["stars"], note=data["note"])
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="星级评定"), retrieve=extend_schema(summary="星级评定详情"))
class RatingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = StarRating.objects.order_by("indicator_set_id", "org_path", "pk")
    serializer_class = s.RatingSerializer
    filterset_class = filters.RatingFilter

    @extend_schema(
        summary="上级审核星级", request=s.StarsInputSerializer, responses={200: s.RatingSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        rating = get_in_scope_or_404(StarRating, request.user, pk, Action.CHANGE)
        data = _stars(request)
        rating = services.review_rating(
            actor=request.user, rating=rating, stars=data["stars"], note=data["note"]
        )
        return Response(s.RatingSerializer(rating).data)

    @extend_schema(
        summary="党委决定星级（执行本级设定的星级比例上限）",
        request=s.StarsInputSerializer,
        responses={200: s.RatingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        rating = get_in_scope_or_404(StarRating, request.user, pk, Action.CHANGE)
        data = _stars(request)
        rating = services.decide_rating(
            actor=request.user, rating=rating, stars=data["stars"], note=data["note"]
        )
        return Response(s.RatingSerializer(rating).data)


__all__ = ["IndicatorSetViewSet", "RatingViewSet", "ScoreViewSet"]
