#!/usr/bin/env bash
# One step of simulated traffic on a WriteFreely-shaped database (see
# writefreely-sample.sh): views, and now and then a new, renamed or deleted post.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/simulate-traffic.sh [--verbose] DB

Applies one step of simulated traffic to DB, a WriteFreely-shaped database:

  - views: each post gains views with a probability that grows with its
    current count, and popular posts gain more per step than quiet ones
  - with NEW_POST_PERCENT % probability (default 10) a new post appears
  - with SLUG_EDIT_PERCENT % probability (default 5) a post's slug is edited
  - with DELETE_PERCENT % probability (default 3) a post is deleted (never
    one of the ten most viewed)

It writes the way WriteFreely does: a 5 s busy timeout and one short
transaction per statement, leaving the journal mode alone (rollback journal,
not WAL, as writefreely-sample.sh creates the file).

  -v, --verbose   print one line saying what happened
EOF
}

verbose=0
db=""
while [ $# -gt 0 ]; do
  case "$1" in
  -h | --help) usage; exit 0 ;;
  -v | --verbose) verbose=1 ;;
  -*) echo "simulate-traffic.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  *)
    [ -z "$db" ] || { echo "simulate-traffic.sh: one DB only (see --help)" >&2; exit 2; }
    db="$1" ;;
  esac
  shift
done
[ -n "$db" ] || { usage >&2; exit 2; }
[ -f "$db" ] || { echo "simulate-traffic.sh: no such database: $db" >&2; exit 1; }

percent() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$value" -gt 100 ]; then
    echo "simulate-traffic.sh: $name must be 0..100, got: $value" >&2
    exit 2
  fi
}
new_post_percent="${NEW_POST_PERCENT:-10}"
slug_edit_percent="${SLUG_EDIT_PERCENT:-5}"
delete_percent="${DELETE_PERCENT:-3}"
percent NEW_POST_PERCENT "$new_post_percent"
percent SLUG_EDIT_PERCENT "$slug_edit_percent"
percent DELETE_PERCENT "$delete_percent"

chance() { [ $((RANDOM % 100)) -lt "$1" ]; }

char="substr('0123456789abcdefghijklmnopqrstuvwxyz', 1 + abs(random() % 36), 1)"
random_id="$char"
for _ in 2 3 4 5 6 7 8 9 10; do random_id="$random_id || $char"; done

# Views: a post with count c is viewed this step with probability about
# (10 + c/10) per mille (always once c >= 9,900), and then gains
# 1 .. 1 + c/2000 views, so the head of the distribution keeps growing fastest.
sql="
.timeout 5000
.mode list
.separator '|'
CREATE TEMP TABLE before AS SELECT total(view_count) AS views FROM posts;
UPDATE posts SET view_count = view_count + 1 + abs(random() % (1 + view_count / 2000))
WHERE abs(random() % 1000) < 10 + view_count / 10;
SELECT 'views', changes(), CAST((SELECT total(view_count) FROM posts) - views AS INTEGER) FROM before;
"

if chance "$new_post_percent"; then
  sql+="
CREATE TEMP TABLE fresh AS
SELECT $random_id AS id, 1 + abs(random() % 2) AS collection_id,
       'Fresh notes from ' || strftime('%H:%M:%S', 'now') AS title;
INSERT INTO posts
  (id, slug, text_appearance, language, rtl, privacy, owner_id, collection_id,
   created, updated, view_count, title, content)
SELECT id, 'fresh-notes-' || id, 'norm', 'en', 0, 0, 1, collection_id,
       datetime('now'), datetime('now'), 0, title,
       title || char(10) || char(10) || 'Written just now, while the kettle was on.'
FROM fresh;
SELECT 'new', f.id, c.alias FROM fresh AS f JOIN collections AS c ON c.id = f.collection_id;
"
fi

if chance "$slug_edit_percent"; then
  sql+="
CREATE TEMP TABLE renamed AS
SELECT rowid AS post, id, slug || '-' || lower(hex(randomblob(2))) AS slug
FROM posts WHERE slug IS NOT NULL ORDER BY random() LIMIT 1;
UPDATE posts SET slug = (SELECT slug FROM renamed), updated = datetime('now')
WHERE rowid = (SELECT post FROM renamed);
SELECT 'slug', id, slug FROM renamed;
"
fi

if chance "$delete_percent"; then
  sql+="
CREATE TEMP TABLE doomed AS
SELECT rowid AS post, id FROM posts
WHERE rowid IN (SELECT rowid FROM posts ORDER BY view_count DESC LIMIT -1 OFFSET 10)
ORDER BY random() LIMIT 1;
DELETE FROM posts WHERE rowid IN (SELECT post FROM doomed);
SELECT 'deleted', id FROM doomed;
"
fi

out="$(sqlite3 -bail "$db" <<<"$sql")"

[ "$verbose" -eq 1 ] || exit 0
summary=()
while IFS='|' read -r what a b; do
  case "$what" in
  views) summary+=("+$b views on $a posts") ;;
  new) summary+=("new post $a in $b") ;;
  slug) summary+=("slug of $a is now $b") ;;
  deleted) summary+=("deleted post $a") ;;
  esac
done <<<"$out"
line=""
for part in "${summary[@]}"; do line+="${line:+; }$part"; done
echo "$line"
