/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The options of the developer tools and what each runs. Their texts are
 * not translated: they are for the people who build Reskill, like its log
 * messages. */
#include "rs-devtools.h"

#include "rs-bench.h"
#include "rs-kiosk-screenshot.h"
#include "rs-screenshot.h"

static const GOptionEntry entries[] = {
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Write a PNG of every screen, with demo data, to DIR and exit", "DIR" },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL, "Window size for --screenshot and --bench-gui (default 1280x800)", "WIDTHxHEIGHT" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, NULL, "Use the dark style (for --screenshot)", NULL },
  { "bench-gui", 0, 0, G_OPTION_ARG_INT, NULL, "Answer N questions through the window and print the latencies", "N" },
  { "kiosk-screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Start as a kiosk, write a PNG of the first frame of the attract screen to FILE and exit", "FILE" },
  { NULL }
};

static char *
option_path (GVariantDict *dict, const char *name)
{
  g_autofree char *value = NULL;

  if (!g_variant_dict_lookup (dict, name, "^ay", &value))
    return NULL;
  return g_steal_pointer (&value);
}

static gboolean
parse_size (const char *text, int *width, int *height)
{
  char *end = NULL;
  gint64 w, h;

  if (text == NULL)
    {
      *width = 1280;
      *height = 800;
      return TRUE;
    }
  w = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || (*end != 'x' && *end != 'X'))
    return FALSE;
  h = g_ascii_strtoll (end + 1, &end, 10);
  if (*end != '\0' || w < 320 || h < 320 || w > 8192 || h > 8192)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static int
check_options (GApplication *app, GVariantDict *dict)
{
  const char *size = NULL;
  int width, height, n;

  if (g_variant_dict_lookup (dict, "size", "&s", &size) && !parse_size (size, &width, &height))
    {
      g_printerr ("reskill: --size wants WIDTHxHEIGHT, such as 1280x800, got “%s”\n", size);
      return 2;
    }
  if (g_variant_dict_lookup (dict, "bench-gui", "i", &n) && n <= 0)
    {
      g_printerr ("reskill: --bench-gui wants a number of questions above 0\n");
      return 2;
    }
  /* A one-shot run must not hand itself over to a running Reskill. */
  if (g_variant_dict_contains (dict, "screenshot") || g_variant_dict_contains (dict, "bench-gui")
      || g_variant_dict_contains (dict, "kiosk-screenshot"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static int
run (RsApplication *app, GVariantDict *dict)
{
  g_autofree char *screenshot = option_path (dict, "screenshot");
  g_autofree char *kiosk_shot = option_path (dict, "kiosk-screenshot");
  const char *size = NULL;
  int width = 1280, height = 800, bench = 0;

  if (g_variant_dict_lookup (dict, "size", "&s", &size))
    parse_size (size, &width, &height);
  g_variant_dict_lookup (dict, "bench-gui", "i", &bench);

  if (kiosk_shot != NULL)
    return rs_kiosk_screenshot_first_frame (GTK_APPLICATION (app), rs_application_get_db_path (app),
                                            rs_application_get_questions_dir (app),
                                            rs_application_get_roles_path (app), kiosk_shot);
  if (screenshot != NULL)
    {
      RsScreenshotOptions shot = {
        .dir = screenshot,
        .questions_dir = rs_application_get_questions_dir (app),
        .roles_path = rs_application_get_roles_path (app),
        .width = width,
        .height = height,
        .dark = g_variant_dict_contains (dict, "dark"),
      };
      return rs_screenshot_run (GTK_APPLICATION (app), &shot);
    }
  if (bench > 0)
    {
      RsBenchOptions bench_options = {
        .n_questions = bench,
        .questions_dir = rs_application_get_questions_dir (app),
        .roles_path = rs_application_get_roles_path (app),
        .width = width,
        .height = height,
        .created_at = rs_application_get_created_at (app),
      };
      return rs_bench_gui_run (GTK_APPLICATION (app), &bench_options);
    }
  return -1;
}

static const RsApplicationTools tools = {
  .entries = entries,
  .check_options = check_options,
  .run = run,
};

void
rs_devtools_install (RsApplication *app)
{
  rs_application_set_tools (app, &tools);
}
