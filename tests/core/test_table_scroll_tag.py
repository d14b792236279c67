"""{% table_scroll %}: every table of the pages (table.table) stands in a scroll box the server renders focusable
and named, so that on a phone the keyboard reaches its hidden columns without JavaScript (WCAG 2.1.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines

import fazhi

SRC = Path(fazhi.__file__).parent
OPEN = re.compile(r"\{% table_scroll [^%]+%\}\s*$")


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load table_scroll %}" + source).render(context)


def test_the_box_is_focusable_and_named_after_its_parts():
    html = render('{% table_scroll "第 " n " 届评标委员会" %}<table></table>{% endtable_scroll %}', n=3)
    assert html == (
        '<div class="table-scroll" role="region" aria-label="第 3 届评标委员会" tabindex="0"><table></table></div>'
    )


def test_a_name_from_the_data_is_escaped_and_a_missing_one_is_nothing():
    html = render('{% table_scroll name "的项目" %}x{% endtable_scroll %}', name='区"教育"<局>')
    assert 'aria-label="区&quot;教育&quot;&lt;局&gt;的项目"' in html
    assert 'aria-label="：绩效指标"' in render(
        '{% table_scroll item.project.name|default:project.name "：绩效指标" %}{% endtable_scroll %}'
    )
    assert 'aria-label="表格"' in render("{% table_scroll nothing %}{% endtable_scroll %}")


def test_a_box_without_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render("{% table_scroll %}<table></table>{% endtable_scroll %}")


def templates() -> list[Path]:
    return sorted(p for p in SRC.glob("*/templates/**/*.html") if "<table" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_every_table_of_the_pages_is_in_a_box_rendered_by_the_server(path):
    """static/js/table-scroll.js no longer makes boxes: a table.table outside the tag would scroll on a phone
    where the keyboard cannot reach it."""
    text = path.read_text(encoding="utf-8")
    assert '<div class="table-scroll"' not in text  # one way of making the box: the tag
    for m in re.finditer(r'<table class="table[ "]', text):
        assert OPEN.search(text[: m.start()]), (path.name, text[m.start() : m.start() + 80])
        assert text[m.start() :].split("</table>", 1)[1].lstrip().startswith("{% endtable_scroll %}"), (
            path.name
        )
    assert re.search(r"\{% load [^%]*\btable_scroll\b", text), path.name
