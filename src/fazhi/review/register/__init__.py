"""发文登记簿: the register of outgoing documents, compared with the review ledger to prove 应审尽审.

A bureau shows that every document which needed a legality review had one by setting its 发文登记簿 (every
outgoing document, usually exported from the OA system) beside the review ledger. Each register entry of a
type that must be reviewed (`DocTypeRule.review_required`; by default every type except 其他文书) is 已审查
when linked to a draft approved on or before its issue day, 免审 when a reason says why it needed none, and
未审查（漏审） otherwise.

Split by subject: `selectors` (status, filters, rows, the ledger's summary), `services` (validated writes,
the link made when a draft is published) and `excel` (template, import, export). The pages are in
`fazhi.review.views.register`, the API in `fazhi.review.register.api`.
"""
