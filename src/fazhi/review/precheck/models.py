"""Precheck settings the administrator can change (rule switches and severities)."""
