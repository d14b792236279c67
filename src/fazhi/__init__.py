"""fazhi (法治): the rule-of-law platform of a district finance bureau."""
