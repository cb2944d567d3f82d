from django.urls import path

from qiangji.education.views import classes, courses, exams, lecturers, ledger

app_name = "education"

urlpatterns = [
    path("", ledger.HomeView.as_view(), name="home"),
    path("me/", ledger.MyYearView.as_view(), name="my-year"),
    path("members/<int:pk>/", ledger.MemberYearView.as_view(), name="member-year"),
    path("members/<int:pk>/training/", ledger.TrainingCreateView.as_view(), name="training-create"),
    path("coverage/", ledger.CoverageView.as_view(), name="coverage"),
    path("coverage/export/", ledger.CoverageExportView.as_view(), name="coverage-export"),
    path("courses/", courses.CourseListView.as_view(), name="course-list"),
    path("courses/new/", courses.CourseCreateView.as_view(), name="course-create"),
    path("courses/<int:pk>/", courses.CourseDetailView.as_view(), name="course-detail"),
    path("courses/<int:pk>/publish/", courses.CoursePublishView.as_view(), name="course-publish"),
    path("courses/<int:pk>/chapters/new/", courses.ChapterCreateView.as_view(), name="chapter-create"),
    path("chapters/<int:pk>/", courses.ChapterPlayView.as_view(), name="chapter-play"),
    path("chapters/<int:pk>/media/", courses.ChapterMediaView.as_view(), name="chapter-media"),
    path("classes/", classes.ClassListView.as_view(), name="class-list"),
    path("classes/new/", classes.ClassCreateView.as_view(), name="class-create"),
    path("classes/sites/new/", classes.SiteCreateView.as_view(), name="site-create"),
    path("classes/checkin/", classes.ClassCheckInView.as_view(), name="class-checkin"),
    path("classes/<int:pk>/", classes.ClassDetailView.as_view(), name="class-detail"),
    path("classes/<int:pk>/quotas/new/", classes.QuotaCreateView.as_view(), name="quota-create"),
    path("classes/<int:pk>/enrol/", classes.EnrolCreateView.as_view(), name="enrol-create"),
    path("classes/<int:pk>/sessions/new/", classes.SessionCreateView.as_view(), name="session-create"),
    path("classes/<int:pk>/funding/new/", classes.FundingCreateView.as_view(), name="funding-create"),
    path("classes/<int:pk>/complete/", classes.ClassCompleteView.as_view(), name="class-complete"),
    path("exams/", exams.ExamListView.as_view(), name="exam-list"),
    path("exams/import/", exams.GiftImportView.as_view(), name="gift-import"),
    path("exams/new/", exams.ExamCreateView.as_view(), name="exam-create"),
    path("exams/<int:pk>/start/", exams.ExamStartView.as_view(), name="exam-start"),
    path("attempts/<int:pk>/", exams.ExamTakeView.as_view(), name="exam-take"),
    path("certificates/<int:pk>/pdf/", exams.CertificatePdfView.as_view(), name="certificate-pdf"),
    path("verify/", exams.VerifyView.as_view(), name="verify"),
    path("lecturers/", lecturers.LecturerListView.as_view(), name="lecturer-list"),
    path("lecturers/new/", lecturers.LecturerCreateView.as_view(), name="lecturer-create"),
    path("lecturers/<int:pk>/book/", lecturers.BookingCreateView.as_view(), name="booking-create"),
    path("bookings/<int:pk>/done/", lecturers.BookingDoneView.as_view(), name="booking-done"),
    path("bookings/<int:pk>/rate/", lecturers.BookingRateView.as_view(), name="booking-rate"),
]
