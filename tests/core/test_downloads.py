from fazhi.core.downloads import download


def test_a_download_carries_its_chinese_name_and_an_optional_plain_fallback():
    resp = download(b"x", "应审尽审台账.xlsx", "application/octet-stream")
    assert resp["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E5%BA%94%E5%AE%A1%E5%B0%BD%E5%AE%A1%E5%8F%B0%E8%B4%A6.xlsx"
    )
    with_plain = download(
        b"x", "惠企政策导入模板.xlsx", "application/octet-stream", ascii_fallback="policies.xlsx"
    )
    assert with_plain["Content-Disposition"].startswith(
        "attachment; filename=policies.xlsx; filename*=UTF-8''%E6"
    )
    assert resp.content == b"x" and resp["Content-Type"] == "application/octet-stream"
