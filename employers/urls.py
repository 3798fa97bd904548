from django.urls import path

from employers import audit_views, views

app_name = "employers"
urlpatterns = [
    # HR (members of the current employer)
    path("", views.employer_home, name="home"),
    path("switch/", views.switch_employer, name="switch"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/mfa/", views.mfa_policy, name="mfa_policy"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("openings/new/", views.opening_edit, name="opening_new"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/", views.candidates, name="candidates"),
    path("shared/", views.general_candidates, name="general_candidates"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path(
        "candidates/<int:pk>/credentials/<int:credential_pk>/artwork.png",
        views.credential_artwork,
        name="artwork",
    ),
    path(
        "candidates/<int:pk>/credentials/<int:credential_pk>/decisions/",
        views.record_decision,
        name="record_decision",
    ),
    # Applicants
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("employers/<int:pk>/share/", views.share_with_employer, name="share"),
    path("my-applications/", views.my_applications, name="my_applications"),
    path("my-applications/viewed/", views.who_viewed, name="who_viewed"),
    path("my-applications/<int:pk>/", views.my_application, name="my_application"),
    path(
        "my-applications/<int:pk>/share/", views.my_application_share, name="my_application_share"
    ),
    path(
        "my-applications/<int:pk>/shares/<int:share_pk>/withdraw/",
        views.my_share_withdraw,
        name="my_share_withdraw",
    ),
    path(
        "my-applications/<int:pk>/withdraw/",
        views.my_application_withdraw,
        name="my_application_withdraw",
    ),
]
