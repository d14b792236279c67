"""Policy attachments are served by /policies/attachments/<id>/ (uploads are not served under /media/),
with the type of their content and as downloads."""

from __future__ import annotations

from django.core.files.base import ContentFile

from fazhi.policies.models import PolicyAttachment

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"


def test_an_attachment_is_linked_and_downloaded_by_its_content(client, make_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    policy = make_policy(title="稳岗补贴申报通知")
    attachment = PolicyAttachment(policy=policy, title="申报表")
    attachment.file.save("form.html", ContentFile(PDF), save=True)
    url = f"/policies/attachments/{attachment.pk}/"
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    assert client.get(f"/api/v1/policies/{policy.pk}").json()["attachments"] == [
        {"title": "申报表", "url": url}
    ]
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "attachment" in response["Content-Disposition"]
        and "%E7%94%B3%E6%8A%A5%E8%A1%A8.pdf" in response["Content-Disposition"]
    )


def test_a_missing_attachment_is_a_chinese_404(client, make_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert "未找到该附件" in client.get("/policies/attachments/999999/").content.decode()
    policy = make_policy(title="某通知")
    gone = PolicyAttachment.objects.create(
        policy=policy, title="旧表", file="policies/attachments/2020/gone.pdf"
    )
    response = client.get(f"/policies/attachments/{gone.pk}/")
    assert response.status_code == 404 and "附件文件已不存在" in response.content.decode()
