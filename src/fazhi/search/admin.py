from django.contrib import admin

from fazhi.search.models import OutboxEntry


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    list_display = ("index", "object_id", "op", "created_at")
    list_filter = ("index", "op")
