"""REST API of the development pipeline (/api/v1/recruitment/): cases and their steps, the rule data,
the due list.  Serializers in `serializers`, views in `views/` (cases, due), routes in `urls`."""
