"""Guiding questions of a meeting. Included from meetings/urls.py under "meetings"."""

from django.urls import path

from .views import questions

urlpatterns = [
    path("<int:pk>/leitfragen/neu/", questions.question_add, name="question_add"),
    path("leitfragen/<int:pk>/bearbeiten/", questions.question_edit, name="question_edit"),
    path("leitfragen/<int:pk>/beantworten/", questions.question_answer, name="question_answer"),
    path("leitfragen/<int:pk>/entfernen/", questions.question_remove, name="question_remove"),
    path("leitfragen/<int:pk>/verschieben/", questions.question_move, name="question_move"),
    path("leitfragen/<int:pk>/vertagen/", questions.question_carry, name="question_carry"),
]
