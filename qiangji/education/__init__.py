"""The education (百万党员进党校): the hours ledger, classes, online courses, exams, lecturers, broadcasts."""
