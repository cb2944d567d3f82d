"""Indexes for the subtree member search on PostgreSQL (issue #6: p95 ≤ 50 ms over 3 million members).

The database collation is C.UTF-8, for which PostgreSQL 15 cannot turn `LIKE 'prefix%'` into an index
range on a default-opclass btree; keys collated "C" can (and also serve `ORDER BY … COLLATE "C"`), so
the search columns get C-collated keys here:

* `member_search_path_c` (org_path, name_pinyin, id): the result order (the roster's order); a narrow
  subtree (county, township, branch) is a range of it read in order, and a wide one (province, city)
  is walked in order until a page of frequent matches is found;
* `member_search_pinyin_c` (name_pinyin, id) and `member_search_initials_c` (name_initials, id): the
  rare full-pinyin and initials matches of a wide subtree;
* `member_search_name_grams` GIN over the name's characters and pairs of adjacent characters
  (`qiangji_name_grams(name)`, an immutable SQL function created here): a name or part of one; with
  statistics on those elements the planner knows "王" or "建军" are frequent (walk the order) and
  "李建军" rare (read the matches and sort them).  ID and phone suffixes already have
  (id_suffix, org_path) and (phone_suffix, org_path).

The search columns' statistics targets go to 1000: with the default 100 the planner estimates any
prefix rarer than 1 % at 0.01 % (`name_initials LIKE 'zs%'`: 218 rows estimated, 13,419 found) and
picks plans that read tens of thousands of rows.

CONCURRENTLY, so a large table stays writable while they build (hence `atomic = False`).  SQLite
(the demo and county database) gets nothing: this migration is a no-op there.
"""

from django.db import migrations

INDEXES = {
    "member_search_pinyin_c": 'USING btree (name_pinyin COLLATE "C", id)',
    "member_search_initials_c": 'USING btree (name_initials COLLATE "C", id)',
    "member_search_path_c": 'USING btree (org_path COLLATE "C", name_pinyin COLLATE "C", id)',
    "member_search_name_grams": "USING gin (qiangji_name_grams((name)::text))",
}
GRAMS = """CREATE OR REPLACE FUNCTION qiangji_name_grams(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ARRAY(SELECT DISTINCT substr($1, i, n) FROM generate_series(1, 2) AS n,
                   generate_series(1, char_length($1) - n + 1) AS i) $$"""
STATISTICS = ("org_path", "name", "name_pinyin", "name_initials")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON members_member {definition}")
    columns = ", ".join(f"ALTER COLUMN {column} SET STATISTICS 1000" for column in STATISTICS)
    schema_editor.execute(f"ALTER TABLE members_member {columns}")
    schema_editor.execute("ALTER INDEX member_search_name_grams ALTER COLUMN 1 SET STATISTICS 1000")
    schema_editor.execute("ANALYZE members_member")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS qiangji_name_grams(text)")
    columns = ", ".join(f"ALTER COLUMN {column} SET STATISTICS -1" for column in STATISTICS)
    schema_editor.execute(f"ALTER TABLE members_member {columns}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0005_member_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
