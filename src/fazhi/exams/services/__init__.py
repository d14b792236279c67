"""学法考试 writes: every rule and every write lives in the modules of this package.

bank (question validation and import), practice (练习 and 错题本), papers (blueprint, paper generation,
grading rules), attempts (timed exams), stats (results and item analysis), competitions (法律竞赛),
certificates (执法证, training, 执法人员占比).
"""
