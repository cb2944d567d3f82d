"""Scope-walk contract for every education URL: kwargs pointing at objects in the FOREIGN county,
created there by the foreign county's own user through the services (so they are real rows)."""


def _foreign_course(world):
    from qiangji.education import services

    course = services.create_course(
        actor=world.users["foreign"], organisation=world.foreign_county, title="另一县委课程"
    )
    services.add_chapter(
        actor=world.users["foreign"],
        course=course,
        title="另一县委章节",
        hours="1",
        body="另一县委",
        duration_seconds=30,
    )
    return course


def _foreign_published(world):
    from qiangji.education import services

    return services.publish_course(actor=world.users["foreign"], course=_foreign_course(world))


def _foreign_chapter(world):
    return _foreign_published(world).chapters.get()


def _foreign_entry(world):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from qiangji.education import services

    return services.record_training(
        actor=world.users["foreign"],
        member=world.foreign_member,
        title="另一县委培训",
        held_on=datetime.date(2026, 1, 5),
        hours="2",
        provider="upper",
        evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    )


def _foreign_class(world):
    import datetime

    from qiangji.education import services

    actor = world.users["foreign"]
    training_class = services.plan_class(
        actor=actor,
        organisation=world.foreign_county,
        title="另一县委轮训班",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 5, 3),
    )
    services.set_quota(actor=actor, training_class=training_class, organisation=world.foreign_branch, seats=5)
    services.enrol(actor=actor, training_class=training_class, member=world.foreign_member)
    services.add_session(
        actor=actor,
        training_class=training_class,
        title="另一县委课次",
        held_on=datetime.date(2026, 5, 1),
        hours="2",
    )
    return training_class


FOREIGN_GIFT = "::另一县委题:: 另一县委的题目 {=对 ~错}"


def _foreign_exam(world):
    from qiangji.education import services

    actor = world.users["foreign"]
    services.import_gift(
        actor=actor, organisation=world.foreign_county, bank="另一县委题库", text=FOREIGN_GIFT
    )
    return services.create_exam(
        actor=actor, organisation=world.foreign_county, title="另一县委考试", bank="另一县委题库"
    )


def _foreign_attempt(world):
    from qiangji.education import services
    from qiangji.testing import add_user

    learner = add_user("waixian-learner", world.foreign_branch, "member")
    world.foreign_member.user = learner
    world.foreign_member.save(update_fields=["user"])
    return services.start_attempt(actor=learner, exam=_foreign_exam(world))


def _foreign_certificate(world):
    from qiangji.education import services

    attempt = _foreign_attempt(world)
    question = attempt.exam.questions.get()
    services.submit_attempt(actor=attempt.member.user, attempt=attempt, answers={str(question.pk): "0"})
    return attempt.certificate


def _foreign_booking(world, done=False):
    import datetime

    from qiangji.education import services

    actor = world.users["foreign"]
    lecturer = services.register_lecturer(
        actor=actor, organisation=world.foreign_county, name="另一县委讲师", topics="另一县委专题"
    )
    booking = services.book_lecturer(
        actor=actor,
        lecturer=lecturer,
        organisation=world.foreign_branch,
        topic="另一县委送学",
        held_on=datetime.date(2026, 5, 1),
        hours="2",
    )
    return services.record_lecture(actor=actor, booking=booking) if done else booking


CASES = {
    "education:home": lambda world: {},
    "education:my-year": lambda world: {},
    "education:member-year": lambda world: {"pk": world.foreign_member.pk},
    "education:training-create": lambda world: {"pk": world.foreign_member.pk},
    "education:coverage": lambda world: {"_query": f"x={_foreign_entry(world).pk}"},
    "education:coverage-export": lambda world: {"_query": f"fmt=csv&x={_foreign_entry(world).pk}"},
    "education:course-list": lambda world: {"_query": f"x={_foreign_published(world).pk}"},
    "education:course-create": lambda world: {},
    "education:course-detail": lambda world: {"pk": _foreign_published(world).pk},
    "education:course-publish": lambda world: {"pk": _foreign_course(world).pk},
    "education:chapter-create": lambda world: {"pk": _foreign_course(world).pk},
    "education:chapter-play": lambda world: {"pk": _foreign_chapter(world).pk},
    "education:chapter-media": lambda world: {"pk": _foreign_chapter(world).pk},
    "education:class-list": lambda world: {"_query": f"x={_foreign_class(world).pk}"},
    "education:class-create": lambda world: {},
    "education:site-create": lambda world: {},
    "education:class-checkin": lambda world: {},  # the signed token names the session; enrolled learners only
    "education:class-detail": lambda world: {"pk": _foreign_class(world).pk},
    "education:quota-create": lambda world: {"pk": _foreign_class(world).pk},
    "education:enrol-create": lambda world: {"pk": _foreign_class(world).pk},
    "education:session-create": lambda world: {"pk": _foreign_class(world).pk},
    "education:funding-create": lambda world: {"pk": _foreign_class(world).pk},
    "education:class-complete": lambda world: {"pk": _foreign_class(world).pk},
    "education:exam-list": lambda world: {"_query": f"x={_foreign_certificate(world).pk}"},
    "education:gift-import": lambda world: {},
    "education:exam-create": lambda world: {},
    "education:exam-start": lambda world: {"pk": _foreign_exam(world).pk},
    "education:exam-take": lambda world: {"pk": _foreign_attempt(world).pk},
    "education:certificate-pdf": lambda world: {"pk": _foreign_certificate(world).pk},
    "education:lecturer-list": lambda world: {"_query": f"x={_foreign_booking(world).pk}"},
    "education:lecturer-create": lambda world: {},
    "education:booking-create": lambda world: {"pk": _foreign_booking(world).lecturer_id},
    "education:booking-done": lambda world: {"pk": _foreign_booking(world).pk},
    "education:booking-rate": lambda world: {"pk": _foreign_booking(world, done=True).pk},
    "education-my-year": lambda world: {"_query": f"x={_foreign_entry(world).pk}"},
    "education-member-year": lambda world: {"pk": world.foreign_member.pk},
    "education-ledger": lambda world: {"_query": f"x={_foreign_entry(world).pk}"},
    "education-coverage": lambda world: {"_query": f"x={_foreign_entry(world).pk}"},
    "education-entry-list": lambda world: {"_query": f"x={_foreign_entry(world).pk}"},
    "education-entry-detail": lambda world: {"pk": _foreign_entry(world).pk},
    "education-course-list": lambda world: {"_query": f"x={_foreign_published(world).pk}"},
    "education-course-detail": lambda world: {"pk": _foreign_published(world).pk},
    "education-class-list": lambda world: {"_query": f"x={_foreign_class(world).pk}"},
    "education-class-detail": lambda world: {"pk": _foreign_class(world).pk},
    "education-class-checkin": lambda world: {},  # POST only: the signed token; enrolled learners only
    "education-session-list": lambda world: {},  # POST only: the chapter must be visible to the learner
    "education-session-heartbeat": lambda world: {},  # POST only: the token must be the learner's own
    "education-session-check": lambda world: {},  # POST only: the token must be the learner's own
}
EXEMPT = {
    "education:verify": "public certificate verification by number: only the number, title, date and a masked "
    "name (no organisation, no ID); an unknown number gets a clear message",
}
