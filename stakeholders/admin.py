"""Task results in the admin without their arguments.

A stakeholder invitation task's arguments hold the address it was sent to: the
operator sees a task's name, state and times, never what it was called with or
returned.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

HIDDEN = {"args_kwargs", "return_value", "traceback", "formatted_traceback"}


class TaskResultAdmin(DBTaskResultAdmin):
    # The task's path, not its name: the name loads the task through the backend.
    list_display = (  # type: ignore[assignment]
        "id",
        "task_path",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "queue_name",
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: DBTaskResult | None = None
    ) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [name for name in fields if name not in HIDDEN]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
