from __future__ import annotations

from django.urls import path

from retro import present_views, views

app_name = "retro"

urlpatterns = [
    path("rounds/<uuid:code>/retro/", views.session, name="session"),
    path("rounds/<uuid:code>/retro/step/", views.step, name="step"),
    path("rounds/<uuid:code>/retro/present/", present_views.present, name="present"),
    path(
        "rounds/<uuid:code>/retro/present/step/",
        present_views.present_step,
        name="present_step",
    ),
    path("rounds/<uuid:code>/retro/timer/", present_views.timer, name="timer"),
    path("retro/join/", present_views.join, name="join"),
    path("rounds/<uuid:code>/retro/start/", views.start, name="start"),
    path("rounds/<uuid:code>/retro/next/", views.next_step, name="next"),
    path("rounds/<uuid:code>/retro/back/", views.previous_step, name="back"),
    path("rounds/<uuid:code>/retro/order/", views.order, name="order"),
    path(
        "rounds/<uuid:code>/retro/review/<uuid:action>/",
        views.review,
        name="review",
    ),
    path(
        "rounds/<uuid:code>/retro/voting/open/", views.voting_open, name="voting_open"
    ),
    path(
        "rounds/<uuid:code>/retro/voting/close/",
        views.voting_close,
        name="voting_close",
    ),
    path("rounds/<uuid:code>/retro/vote/", views.vote, name="vote"),
    path(
        "rounds/<uuid:code>/retro/vote/take-back/",
        views.vote_take_back,
        name="vote_take_back",
    ),
    path("rounds/<uuid:code>/retro/actions/", views.action_add, name="action_add"),
    path(
        "rounds/<uuid:code>/retro/actions/<uuid:action>/delete/",
        views.action_delete,
        name="action_delete",
    ),
    path(
        "rounds/<uuid:code>/retro/action-limit/",
        views.action_limit,
        name="action_limit",
    ),
    path("rounds/<uuid:code>/retro/roti/", views.roti, name="roti"),
    path("rounds/<uuid:code>/retro/roti/open/", views.roti_open, name="roti_open"),
    path("rounds/<uuid:code>/retro/roti/close/", views.roti_close, name="roti_close"),
    path("rounds/<uuid:code>/retro/close/", views.finish, name="finish"),
    path("rounds/<uuid:code>/metrics/", views.metrics, name="metrics"),
    path("rounds/<uuid:code>/metrics/add/", views.metric_add, name="metric_add"),
    path(
        "rounds/<uuid:code>/metrics/<uuid:metric>/delete/",
        views.metric_delete,
        name="metric_delete",
    ),
    path("teams/<uuid:code>/actions/", views.board, name="board"),
    path(
        "teams/<uuid:code>/actions/<uuid:action>/state/",
        views.board_state,
        name="board_state",
    ),
]
