"""The roster import (党员名册导入) and the member export.

`exporting` (the roster's columns, the export and the empty template), `reading` (xlsx/csv into rows),
`rows` (cells into typed values), `prepare` (validate, encrypt, format; in worker processes for large
files), `writers` (COPY or bulk_create), `importing` (one all-or-nothing import), `uploads` (the upload
form and the job that imports it), `views` and `urls` (the pages; the API is in `members.api`).
"""
