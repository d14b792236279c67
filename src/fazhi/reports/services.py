"""数据看板与年度报告 writes: none. Reports only read other apps; the annual report is written to a file
by the `report_annual` command (see fazhi.reports.annual) or streamed to the browser."""
