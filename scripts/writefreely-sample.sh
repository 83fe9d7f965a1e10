#!/usr/bin/env bash
# Create a WriteFreely-shaped SQLite database full of plausible posts, using
# only the sqlite3 CLI. Used by the demo and the benchmarks.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/writefreely-sample.sh [--force] DB [POSTS]

Creates DB, a SQLite database with WriteFreely's `users`, `collections` and
`posts` tables (same columns and constraints as WriteFreely's SQLite schema),
holding two blogs (`notes`, `travel`) and POSTS posts (default 150):

  - ids of 10 random characters from [0-9a-z]
  - Zipf-like view counts: a few posts with tens of thousands of views,
    a long tail of tens
  - drafts (NULL slug and collection_id), an unpublished post (empty title
    and content), a pinned post and, from 17 posts on, an anonymous post
    (NULL owner_id) and a scheduled post (created in the future)
  - tricky titles: commas, double quotes, a newline, emoji, HTML, Cyrillic,
    Japanese, Arabic (rtl), an empty title
  - a few KB of content per post, as in a real blog

The file is left in rollback-journal mode, as WriteFreely uses it.
100,000 posts take a few seconds and about 300 MB.

  -f, --force   replace DB if it exists
EOF
}

force=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
  -h | --help) usage; exit 0 ;;
  -f | --force) force=1 ;;
  --) shift; args+=("$@"); break ;;
  -*) echo "writefreely-sample.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  *) args+=("$1") ;;
  esac
  shift
done

if [ "${#args[@]}" -lt 1 ] || [ "${#args[@]}" -gt 2 ]; then
  usage >&2
  exit 2
fi
db="${args[0]}"
posts="${args[1]:-150}"
if ! [[ "$posts" =~ ^[0-9]+$ ]] || [ "$posts" -lt 1 ] || [ "$posts" -gt 10000000 ]; then
  echo "writefreely-sample.sh: POSTS must be a whole number from 1 to 10000000, got: $posts" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "writefreely-sample.sh: sqlite3 not found (scripts/deps.sh)" >&2; exit 1; }

if [ -e "$db" ]; then
  if [ "$force" -ne 1 ]; then
    echo "writefreely-sample.sh: $db exists (use --force to replace it)" >&2
    exit 1
  fi
  rm -f -- "$db" "$db-journal" "$db-wal" "$db-shm"
fi

# Ten random characters from [0-9a-z], WriteFreely's post id alphabet.
# random() % 36 (not abs(random())) so that INT64_MIN cannot overflow abs().
char="substr('0123456789abcdefghijklmnopqrstuvwxyz', 1 + abs(random() % 36), 1)"
random_id="$char"
for _ in 2 3 4 5 6 7 8 9 10; do random_id="$random_id || $char"; done

sqlite3 -bail "$db" <<SQL >/dev/null
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;

-- WriteFreely's tables (the subset blogstats reads, plus users for owner_id).
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  email TEXT DEFAULT NULL,
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE collections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alias TEXT DEFAULT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  style_sheet TEXT,
  script TEXT,
  format TEXT DEFAULT NULL,
  privacy INTEGER NOT NULL,
  owner_id INTEGER NOT NULL,
  view_count INTEGER NOT NULL
);
CREATE TABLE posts (
  id TEXT NOT NULL,
  slug TEXT DEFAULT NULL,
  modify_token TEXT DEFAULT NULL,
  text_appearance TEXT NOT NULL DEFAULT 'norm',
  language TEXT DEFAULT NULL,
  rtl INTEGER DEFAULT NULL,
  privacy INTEGER NOT NULL,
  owner_id INTEGER DEFAULT NULL,
  collection_id INTEGER DEFAULT NULL,
  pinned_position INTEGER UNSIGNED DEFAULT NULL,
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  view_count INTEGER NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  CONSTRAINT id_slug UNIQUE (collection_id, slug),
  CONSTRAINT owner_id UNIQUE (owner_id, id),
  CONSTRAINT privacy_id UNIQUE (privacy, id)
);

INSERT INTO users (id, username, password, email, created) VALUES
  (1, 'marta', '\$2a\$10\$notarealhashnotarealhashnotarealhashnotarealhash12', NULL,
   '2023-02-11 09:14:03');

INSERT INTO collections
  (id, alias, title, description, style_sheet, script, format, privacy, owner_id, view_count)
VALUES
  (1, 'notes', 'Notes', 'Small things I learn along the way.', NULL, NULL, 'blog', 1, 1, 48211),
  (2, 'travel', 'Slow Travel', 'Trains, boats and the places in between.', NULL, NULL, 'blog', 1, 1, 17302);

-- Words for generated titles: 20 x 25 x 6 x 40 = 120,000 distinct titles, half
-- of them with a subtitle (list 4).
CREATE TEMP TABLE words (list INTEGER, i INTEGER, w TEXT, PRIMARY KEY (list, i));
INSERT INTO words
SELECT 0, key, value FROM json_each('["Quiet","Early","Slow","Small","Honest","Late","Cold","Bright","Long","Simple","Strange","Short","Rainy","Lazy","Busy","Hidden","Lost","Patient","Careful","Sunday"]')
UNION ALL
SELECT 1, key, value FROM json_each('["mornings","notes","trains","markets","bridges","libraries","kitchens","harbours","gardens","walks","letters","maps","ferries","stations","cafes","rooftops","museums","islands","forests","dinners","lessons","habits","errors","backups","servers"]')
UNION ALL
SELECT 2, key, value FROM json_each('["in","around","near","beyond","after","before"]')
UNION ALL
SELECT 4, key, value FROM json_each('["revisited","a diary","field notes","take two","a sketch","in photos","an essay","a list"]')
UNION ALL
SELECT 3, key, value FROM json_each('["Lisbon","Porto","Vienna","Kyoto","Oslo","Tallinn","Valparaiso","Marseille","Ghent","Bologna","Krakow","Trieste","Hobart","Tbilisi","Quebec","Dakar","Hanoi","Leipzig","Granada","Bergen","Riga","Lyon","Cork","Sapporo","Split","Malmo","Turin","Seville","Utrecht","Bilbao","Plovdiv","Tromso","Matera","Bruges","Nantes","Zagreb","Aarhus","Lucca","Evora","Ronda"]');

-- Titles that break naive CSV, HTML and Unicode handling, at popular ranks.
CREATE TEMP TABLE tricky (n INTEGER PRIMARY KEY, title TEXT, slug TEXT, blog INTEGER, language TEXT, rtl INTEGER);
INSERT INTO tricky VALUES
  (2,  'Hello, world', 'hello-world', 1, 'en', 0),
  (3,  'Why I said "no" to the cloud', 'why-i-said-no-to-the-cloud', 1, 'en', 0),
  (5,  'Trains, boats & "planes": a, b, c', 'trains-boats-planes-a-b-c', 2, 'en', 0),
  (6,  'Two lines' || char(10) || 'in one title', 'two-lines-in-one-title', 1, 'en', 0),
  (7,  '🚆 Night train to Vienna ✨', 'night-train-to-vienna', 2, 'en', 0),
  (8,  '<script>alert(1)</script>', 'script-alert-1-script', 1, 'en', 0),
  (9,  'Привет, мир', 'privet-mir', 1, 'ru', 0),
  (11, '東京の夜', 'dong-jing-noye', 2, 'ja', 0),
  (12, 'مرحبا بالعالم', 'mrhb-blaalm', 2, 'ar', 1),
  (13, '', 'a-note-without-a-title', 1, 'en', 0),
  (14, 'Zürich → Köln, über Basel', 'zurich-koln-uber-basel', 2, 'de', 0),
  (15, 'Backslash \ and ''single'' quotes; 100% sure?', 'backslash-and-single-quotes-100-sure', 1, 'en', 0);

-- Unique random ids (a few spares in case two random ids collide), and a
-- creation time within the last three years (one post scheduled in the future).
CREATE TEMP TABLE ids (n INTEGER PRIMARY KEY, id TEXT UNIQUE, created TEXT);
WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < $posts + 64)
INSERT OR IGNORE INTO ids (id) SELECT $random_id FROM seq;
DELETE FROM ids WHERE n > $posts;
UPDATE ids SET created = CASE
  WHEN n = $posts - 2 AND n > 16 THEN datetime('now', '+3 days', 'start of day', '+9 hours')
  ELSE datetime('now', '-' || (3600 + abs(random() % 94608000)) || ' seconds')
END;

-- A long text to cut each post's content from (about 40 KB).
CREATE TEMP TABLE body AS
SELECT replace(hex(zeroblob(160)), '00',
  'The train left late, as it always does on Sundays. ' ||
  'I wrote this down so I would not forget how the light looked over the water. ' ||
  'Backups are only real once you have restored one. ' ||
  'A list of small things that made the week better: coffee, a long walk, a fixed bug. ' ||
  char(10) || char(10)) AS text;

-- n is the popularity rank: view counts fall off like a Zipf distribution.
INSERT INTO posts
  (id, slug, modify_token, text_appearance, language, rtl, privacy, owner_id,
   collection_id, pinned_position, created, updated, view_count, title, content)
SELECT
  id,
  CASE WHEN kind = 'post' OR kind = 'scheduled' THEN slug END,
  CASE WHEN kind = 'anon' THEN lower(hex(randomblob(16))) END,
  CASE WHEN n % 5 = 1 THEN 'sans' WHEN n % 11 = 2 THEN 'wrap' ELSE 'norm' END,
  language, rtl, 0,
  CASE WHEN kind = 'anon' THEN NULL ELSE 1 END,
  CASE WHEN kind = 'post' OR kind = 'scheduled' THEN blog END,
  CASE WHEN n = 4 THEN 1 END,
  created,
  CASE WHEN n % 3 = 0
    THEN datetime(created, '+' || abs(random() % 8640000) || ' seconds')
         || '.' || printf('%09d', abs(random() % 1000000000)) || '+00:00'
    ELSE datetime(created, '+' || abs(random() % 600) || ' seconds')
  END,
  CASE kind
    WHEN 'draft' THEN abs(random() % 4)
    WHEN 'unpublished' THEN 0
    WHEN 'scheduled' THEN 0
    WHEN 'anon' THEN 20 + abs(random() % 300)
    ELSE 60000 / (n * n) + 3000 / n + abs(random() % 40)
  END,
  CASE WHEN kind = 'unpublished' THEN '' ELSE title END,
  CASE WHEN kind = 'unpublished' THEN ''
       ELSE title || char(10) || char(10) ||
            (SELECT substr(text, 1 + (n * 97) % 30000, 1500 + (n * 53) % 3000) FROM body)
  END
FROM (
  SELECT
    n, id, created,
    CASE
      WHEN n = $posts - 1 AND n > 16 THEN 'anon'
      WHEN n = $posts - 2 AND n > 16 THEN 'scheduled'
      WHEN n % 74 = 57 THEN 'unpublished'
      WHEN n % 37 = 20 THEN 'draft'
      ELSE 'post'
    END AS kind,
    coalesce(t.title, g.title) AS title,
    coalesce(t.slug, lower(replace(replace(replace(replace(g.title, ': ', '-'), ' (', '-'), ')', ''), ' ', '-'))) AS slug,
    coalesce(t.blog, CASE WHEN n % 10 < 7 THEN 1 ELSE 2 END) AS blog,
    coalesce(t.language, 'en') AS language,
    coalesce(t.rtl, 0) AS rtl
  FROM ids
  LEFT JOIN tricky AS t USING (n)
  JOIN (
    SELECT
      n AS gn,
      (SELECT w FROM words WHERE list = 0 AND i = m % 20) || ' ' ||
      (SELECT w FROM words WHERE list = 1 AND i = (m / 20) % 25) || ' ' ||
      (SELECT w FROM words WHERE list = 2 AND i = (m / 500) % 6) || ' ' ||
      (SELECT w FROM words WHERE list = 3 AND i = (m / 3000) % 40) ||
      CASE WHEN n % 2 = 0 THEN ': ' || (SELECT w FROM words WHERE list = 4 AND i = (n / 2) % 8) ELSE '' END ||
      CASE WHEN n > 120000 THEN ' (part ' || ((n - 1) / 120000 + 1) || ')' ELSE '' END AS title
    FROM (SELECT n, (n * 7919) % 120000 AS m FROM ids)
  ) AS g ON g.gn = n
);

PRAGMA journal_mode = DELETE;
SQL

count="$(sqlite3 "$db" 'select count(*) from posts;')"
if [ "$count" -ne "$posts" ]; then
  echo "writefreely-sample.sh: created $count posts instead of $posts" >&2
  exit 1
fi
