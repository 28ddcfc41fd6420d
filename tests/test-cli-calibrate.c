/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill calibrate` as a person uses it, through the real program: the
 * long CSV in, id,a,b,c out and the summary line last; anchors come out as
 * they went in; every bad file gets file:line, exit status 1 and no output
 * file; wrong arguments exit 2; --db reviews, applies and exports. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-test-cli.h"

static char *tmpdir;

static char *
temp_file (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* 12 items x 600 people, 2PL, seed printed; items i00..i11. */
static char *
write_responses (guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GString) text = g_string_new ("person,item_id,score\n");
  char *path = temp_file ("long.csv");
  double a[12], b[12];

  g_test_message ("responses simulated with seed %u", seed);
  for (int j = 0; j < 12; j++)
    {
      a[j] = g_rand_double_range (rand, 0.8, 1.8);
      b[j] = g_rand_double_range (rand, -1.5, 1.5);
    }
  for (int i = 0; i < 600; i++)
    {
      double theta = normal (rand);
      for (int j = 0; j < 12; j++)
        g_string_append_printf (text, "p%d,i%02d,%d\n", i, j,
                                g_rand_double (rand) < 1.0 / (1.0 + exp (-a[j] * (theta - b[j]))));
    }
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

static const char *
last_line (const char *text)
{
  const char *end = text + strlen (text);
  const char *p = end;

  while (p > text && p[-1] == '\n')
    p--;
  while (p > text && p[-1] != '\n')
    p--;
  return p;
}

static void
test_usage (void)
{
  Run run = { 0 };
  g_autofree char *csv = write_responses (11);
  g_autofree char *out = temp_file ("usage.csv");

  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "calibrate"));
  g_assert_cmpint (reskill (&run, "calibrate", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "person,item_id,score"));
  g_assert_nonnull (strstr (run.out, "--min-responses"));
  g_assert_cmpint (reskill (&run, "calibrate", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--out", out, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "--model"));
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "4pl", "--out", out, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", "--fix-c", "0.2", "--out", out,
                            NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "3pl", "--prior-c", "5", "--out", out,
                            NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", "--out", out, "--apply", NULL),
                   ==, 2);
  g_assert_cmpint (reskill (&run, "calibrate", "--db", "x.db", "--model", "2pl", NULL), ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_responses (void)
{
  Run run = { 0 };
  g_autofree char *csv = write_responses (12);
  g_autofree char *out = temp_file ("params.csv");
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) fields = NULL;
  g_autoptr (GRegex) summary = g_regex_new ("^loglik=-[0-9]+\\.[0-9]{4} items=12 people=600 iterations=[0-9]+ "
                                            "seconds=[0-9]+\\.[0-9]{3}\n$", 0, 0, NULL);

  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", "--out", out, NULL), ==, 0);
  g_test_message ("%s", run.out);
  g_assert_true (g_regex_match (summary, last_line (run.out), 0, NULL));
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,a,b,c");
  g_assert_cmpuint (g_strv_length (lines), ==, 14);       /* header, 12 items, "" after the last newline */
  fields = g_strsplit (lines[1], ",", -1);
  g_assert_cmpstr (fields[0], ==, "i00");
  g_assert_cmpuint (g_strv_length (fields), ==, 4);
  g_assert_cmpfloat (g_ascii_strtod (fields[1], NULL), >, 0.3);
  g_assert_cmpstr (fields[3], ==, "0.000000");

  /* 3PL with c held, GPCM on the same file (0/1 scores are 0..1 partial credit). */
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "3pl", "--fix-c", "0.2", "--out", out,
                            NULL), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ",0.200000\n"));
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "gpcm", "--out", out, NULL), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "id,a,b\n"));
  run_clear (&run);
}

/* Anchors are written back exactly as given. */
static void
test_anchors (void)
{
  Run run = { 0 };
  g_autofree char *csv = write_responses (13);
  g_autofree char *anchors = temp_file ("anchors.csv");
  g_autofree char *out = temp_file ("anchored.csv");
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (anchors, "id,a,b,c\ni00,1.234567,-0.500000,0.000000\n"
                                      "i05,0.987654,0.750000,0.000000\nnot-in-the-data,1,0,0\n", -1, NULL));
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", "--anchors", anchors, "--out",
                            out, NULL), ==, 0);
  g_assert_nonnull (strstr (run.err, "1 anchor not in the responses"));
  g_assert_nonnull (strstr (run.out, "latent distribution: mean"));
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\ni00,1.234567,-0.500000,0.000000\n"));
  g_assert_nonnull (strstr (text, "\ni05,0.987654,0.750000,0.000000\n"));
  run_clear (&run);
}

/* Each bad file: file:line, status 1, no output file. */
static void
expect_bad (const char *name, const char *content, const char *model, int line, const char *words)
{
  Run run = { 0 };
  g_autofree char *path = temp_file (name);
  g_autofree char *out = temp_file ("never.csv");
  g_autofree char *where = g_strdup_printf ("%s:%d: ", path, line);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", path, "--model", model, "--out", out, NULL), ==, 1);
  g_test_message ("%s", run.err);
  g_assert_true (g_str_has_prefix (run.err, where));
  g_assert_nonnull (strstr (run.err, words));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_bad_files (void)
{
  Run run = { 0 };
  g_autofree char *missing = temp_file ("missing.csv");
  g_autofree char *csv = write_responses (14);
  g_autofree char *anchors = temp_file ("bad-anchors.csv");
  g_autofree char *out = temp_file ("never.csv");

  expect_bad ("header.csv", "who,what,score\np,i,1\n", "2pl", 1, "person,item_id,score");
  expect_bad ("score.csv", "person,item_id,score\np1,i1,1\np1,i2,2\n", "2pl", 3, "must be 0 or 1");
  expect_bad ("gpcm-score.csv", "person,item_id,score\np1,i1,1\np1,i2,-1\n", "gpcm", 3, "whole number");
  expect_bad ("twice.csv", "person,item_id,score\np1,i1,1\np2,i1,0\np1,i1,0\n", "2pl", 4,
              "already answered item i1 on line 2");
  expect_bad ("empty-person.csv", "person,item_id,score\n,i1,1\n", "2pl", 2, "person is empty");
  expect_bad ("fields.csv", "person,item_id,score\np1,i1\n", "2pl", 2, "2 fields");
  expect_bad ("quote.csv", "person,item_id,score\np1,i1,1\np\"2,i1,0\n", "2pl", 3, "quot");
  expect_bad ("open-quote.csv", "person,item_id,score\np1,i1,1\n\"p2,i1,0\n", "2pl", 3, "never closed");

  g_assert_cmpint (reskill (&run, "calibrate", "--responses", missing, "--model", "2pl", "--out", out, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "missing.csv"));
  g_assert_true (g_file_set_contents (anchors, "id,a,b,c\ni00,abc,0,0\n", -1, NULL));
  g_assert_cmpint (reskill (&run, "calibrate", "--responses", csv, "--model", "2pl", "--anchors", anchors, "--out",
                            out, NULL), ==, 1);
  g_assert_true (g_str_has_suffix (g_strstrip (run.err), "abc' must be a number between 0 and 20"));
  g_assert_nonnull (strstr (run.err, ":2: "));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

/* From a seeded database: review, apply, export, re-score. */
static void
test_db (void)
{
  Run run = { 0 };
  g_autofree char *db = temp_file ("demo.db");
  g_autofree char *exported = temp_file ("calibration.yaml");
  g_autofree char *missing = temp_file ("nothing.db");
  g_autofree char *questions = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "questions", NULL);
  g_autofree char *text = NULL;

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "12",
                            "--attempts-per-person", "2", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "calibrate", "--db", db, "--questions", questions, "--min-responses", "10", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (run.out, "not applied (review only)"));
  g_assert_nonnull (strstr (run.out, " -> "));
  g_assert_cmpint (reskill (&run, "calibrate", "--db", db, "--questions", questions, "--min-responses", "10",
                            "--apply", "--export", exported, "--rescore", NULL), ==, 0);
  g_test_message ("%s", last_line (run.out));
  g_assert_nonnull (strstr (run.out, "applied: calibration "));
  g_assert_nonnull (strstr (run.out, "re-scored "));
  g_assert_true (g_file_get_contents (exported, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\ncalibration: "));
  g_assert_nonnull (strstr (text, "\nwithheld: ["));

  g_assert_cmpint (reskill (&run, "calibrate", "--db", missing, "--questions", questions, NULL), ==, 1);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-calibrate-XXXXXX", NULL);
  g_test_add_func ("/cli-calibrate/usage", test_usage);
  g_test_add_func ("/cli-calibrate/responses", test_responses);
  g_test_add_func ("/cli-calibrate/anchors", test_anchors);
  g_test_add_func ("/cli-calibrate/bad-files", test_bad_files);
  g_test_add_func ("/cli-calibrate/db", test_db);
  status = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
