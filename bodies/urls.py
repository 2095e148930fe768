from django.urls import path

from .views import bodies, members, polls, workstreams

app_name = "bodies"
urlpatterns = [
    path("", bodies.body_list, name="list"),
    # Paths with fixed first parts come before "<slug>/"; Body.RESERVED_SLUGS keeps
    # bodies from taking them.
    path("beschluesse/", polls.decision_list, name="decisions"),
    path("beschluesse/<int:pk>/", polls.decision_detail, name="decision"),
    path("abstimmungen/<int:pk>/", polls.poll_detail, name="poll"),
    path("abstimmungen/<int:pk>/abstimmen/", polls.poll_vote, name="poll_vote"),
    path("abstimmungen/<int:pk>/oeffnen/", polls.poll_open, name="poll_open"),
    path("abstimmungen/<int:pk>/zaehlung/", polls.poll_counts, name="poll_counts"),
    path("abstimmungen/<int:pk>/schliessen/", polls.poll_close, name="poll_close"),
    path("abstimmungen/<int:pk>/absagen/", polls.poll_cancel, name="poll_cancel"),
    # --- workstreams (Baustellen) ---
    path("baustellen/", workstreams.workstream_list, name="workstreams"),
    path("baustellen/<int:number>/", workstreams.workstream_detail, name="workstream"),
    # --- end workstreams ---
    path("<slug:slug>/", bodies.body_detail, name="detail"),
    path("<slug:slug>/abstimmungen/", polls.body_polls, name="polls"),
    path("<slug:slug>/abstimmungen/neu/", polls.poll_create, name="poll_create"),
    # --- members ---
    path("<slug:slug>/mitglieder/", members.members, name="members"),
    path("<slug:slug>/mitglieder/<int:pk>/beenden/", members.member_end, name="member_end"),
    # --- end members ---
]
