"""Uploaded files: stored under server-chosen names, served with the type of their content (never text/html),
only through the permission-checked view, and removed from disk with their record."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import Resolver404, clear_url_caches, resolve

from fazhi.core import uploads
from fazhi.publicity import services
from fazhi.publicity.models import Activity, ActivityMaterial, ActivityPhoto, Post, PostImage

from .conftest import JPEG, PDF, PNG

# A GIF header followed by HTML: a browser shown this as text/html runs the script.
POLYGLOT = b"GIF89a/*<html><script>alert('cover:'+document.domain)</script></html>*/"


def _disk(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_an_image_named_html_is_stored_as_gif_and_served_as_an_image(client, login, clerk, upload):
    page = login(clerk).post(
        "/publicity/manage/new/",
        {
            "title": "带封面的动态",
            "kind": "news",
            "body": "<p>正文</p>",
            "cover": upload("poster.html", POLYGLOT, "text/html"),
        },
    )
    assert page.status_code == 302
    post = Post.objects.get(title="带封面的动态")
    assert post.cover.name.endswith(".gif")
    assert "poster" not in post.cover.name and ".html" not in post.cover.name
    services.publish_post(user=clerk, post_id=post.pk)
    response = client.get(f"/publicity/media/cover/{post.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ".html" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline")


def test_a_file_stored_earlier_under_an_html_name_is_still_served_by_its_content(client, clerk):
    post = services.save_post(user=clerk, data={"title": "旧文章", "body": "<p>正文</p>"})
    services.publish_post(user=clerk, post_id=post.pk)
    stored = _disk("publicity/covers/2025/poster.html")
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(POLYGLOT)
    Post.objects.filter(pk=post.pk).update(cover="publicity/covers/2025/poster.html")
    response = client.get(f"/publicity/media/cover/{post.pk}/")
    assert response["Content-Type"] == "image/gif" and response["X-Content-Type-Options"] == "nosniff"
    # Content the site does not recognise is never shown in the page: it is downloaded.
    stored.write_bytes(b"<html><script>alert(1)</script></html>")
    response = client.get(f"/publicity/media/cover/{post.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "text/html" not in response["Content-Type"]


def test_every_publicity_upload_path_chooses_the_stored_name(clerk, upload):
    post = services.save_post(
        user=clerk,
        data={"title": "配图文章", "body": "<p>正文</p>"},
        cover=upload("a.html", PNG),
        poster=upload("../../b.svg", JPEG),
    )
    image = services.add_post_image(user=clerk, post_id=post.pk, file=upload("c.htm", PNG), alt="配图")
    activity = services.record_activity(
        user=clerk,
        data={
            "title": "讲座",
            "date": "2026-01-05",
            "place": "会议室",
            "form": "lecture",
            "department": "办公室",
        },
        photos=[(upload("d.html", JPEG), "现场")],
        materials=[("讲稿", upload("e.html", PDF), "")],
    )
    photo = activity.photos.get()
    material = activity.materials.get()
    names = [post.cover.name, post.poster.name, image.file.name, photo.file.name, material.file.name]
    assert [Path(n).suffix for n in names] == [".png", ".jpg", ".png", ".jpg", ".pdf"]
    assert not any(part in n for n in names for part in ("a.html", "b.svg", "c.htm", "d.html", "e.html"))
    assert names[0].startswith("publicity/covers/") and names[4].startswith("publicity/materials/")


def test_materials_are_downloaded_with_the_type_of_their_content(login, clerk):
    activity = Activity.objects.create(
        title="讲座", department="办公室", date=dt.date(2026, 1, 5), place="会议室", form="lecture"
    )
    material = ActivityMaterial.objects.create(
        activity=activity, title="讲稿", file=ContentFile(PDF, name="x.html")
    )
    response = login(clerk).get(f"/publicity/media/material/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")  # internal: no shared cache keeps it
    assert material.file.name.endswith(".pdf")


def test_detect_names_the_accepted_types_and_nothing_else(upload):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert uploads.detect(upload("a", POLYGLOT)) == "image/gif"
    assert uploads.detect(upload("a", PDF)) == "application/pdf"
    assert uploads.detect(upload("a", docx.getvalue())) == uploads.DOCX
    assert uploads.detect(upload("a", b"<svg onload=alert(1)>")) is None
    assert uploads.detect(upload("a", b"PK\x03\x04broken")) is None


def test_media_root_is_not_served_directly_even_with_debug_on(settings):
    import fazhi.urls

    settings.DEBUG = True
    try:
        importlib.reload(fazhi.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/media/publicity/activity-photos/2026/x.png")
    finally:
        settings.DEBUG = False
        importlib.reload(fazhi.urls)
        clear_url_caches()


def test_the_admin_links_stored_files_to_the_checked_view(login, sysadmin, clerk, upload):
    post = services.save_post(
        user=clerk, data={"title": "后台文章", "body": "<p>正文</p>"}, cover=upload("c.png", PNG)
    )
    image = services.add_post_image(user=clerk, post_id=post.pk, file=upload("i.png", PNG), alt="配图")
    html = login(sysadmin).get(f"/admin/publicity/post/{post.pk}/change/").content.decode()
    assert f'href="/publicity/media/cover/{post.pk}/"' in html
    assert f'href="/publicity/media/image/{image.pk}/"' in html
    assert 'href="/media/' not in html


def test_files_leave_the_disk_with_their_record_or_when_replaced(
    login, sysadmin, clerk, upload, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.save_post(
            user=clerk, data={"title": "将删除", "body": "<p>正文</p>"}, cover=upload("c.png", PNG)
        )
    first = _disk(post.cover.name)
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.save_post(
            user=clerk,
            post_id=post.pk,
            data={"title": "将删除", "body": "<p>正文</p>"},
            cover=upload("d.png", PNG),
        )
    assert not first.exists() and _disk(post.cover.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        image = PostImage.objects.create(post=post, file=ContentFile(PNG, name="i.png"), alt="配图")
    cover, picture = _disk(post.cover.name), _disk(image.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(sysadmin).post(f"/admin/publicity/post/{post.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Post.objects.filter(pk=post.pk).exists()
    assert not cover.exists() and not picture.exists()


def test_deleting_an_activity_removes_its_photos_and_materials(db, django_capture_on_commit_callbacks):
    activity = Activity.objects.create(
        title="讲座", department="办公室", date=dt.date(2026, 1, 5), place="会议室", form="lecture"
    )
    with django_capture_on_commit_callbacks(execute=True):
        photo = ActivityPhoto.objects.create(
            activity=activity, alt="现场", file=ContentFile(JPEG, name="p.jpg")
        )
        material = ActivityMaterial.objects.create(
            activity=activity, title="讲稿", file=ContentFile(PDF, name="m.pdf")
        )
    files = [_disk(photo.file.name), _disk(material.file.name)]
    assert all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert not any(f.exists() for f in files)


def test_a_failed_save_keeps_the_old_file(clerk, upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.save_post(
            user=clerk, data={"title": "保留", "body": "<p>正文</p>"}, cover=upload("c.png", PNG)
        )
    old = _disk(post.cover.name)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="封面图片"):
        services.save_post(
            user=clerk, post_id=post.pk, data={"title": "保留"}, cover=upload("x.png", b"not an image")
        )
    assert old.exists()
