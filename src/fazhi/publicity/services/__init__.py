"""普法 writes: posts and videos, responsibility lists, activity records, campaign reminders.

`posts` — editors write, publish and withdraw posts and videos; `responsibility` — the 普法责任清单, its
items and the activities recorded against them; `reminders` — campaign calendar reminders.
"""

from fazhi.cases.services import EDITOR_ROLES
from fazhi.publicity.services.posts import (
    EDITOR_MESSAGE,
    MAX_BODY,
    MAX_TRANSCRIPT,
    add_post_image,
    publish_post,
    publish_problem,
    published_edit_problem,
    save_post,
    unpublish_post,
)
from fazhi.publicity.services.reminders import REMIND_DAYS, reminder_recipients, send_campaign_reminders
from fazhi.publicity.services.responsibility import (
    ACTIVITY_MESSAGE,
    ACTIVITY_ROLES,
    LIST_MESSAGE,
    add_item,
    can_record_activity,
    create_list,
    record_activity,
    set_item_status,
)

__all__ = [
    "ACTIVITY_MESSAGE",
    "ACTIVITY_ROLES",
    "EDITOR_MESSAGE",
    "EDITOR_ROLES",
    "LIST_MESSAGE",
    "MAX_BODY",
    "MAX_TRANSCRIPT",
    "REMIND_DAYS",
    "add_item",
    "add_post_image",
    "can_record_activity",
    "create_list",
    "publish_post",
    "publish_problem",
    "published_edit_problem",
    "record_activity",
    "reminder_recipients",
    "save_post",
    "send_campaign_reminders",
    "set_item_status",
    "unpublish_post",
]
