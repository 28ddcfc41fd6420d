/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window from the metainfo. libadwaita 1.4's
 * adw_about_window_new_from_appdata() reads it through libappstream; here
 * GMarkup reads it, because libappstream would link libcurl, libxmlb and a
 * stemmer into an offline kiosk for one window, and the file is our own,
 * compiled into the program (ui/reskill.gresource.xml), not input from
 * elsewhere.
 *
 * The metainfo in the resource is the translated one (data/meson.build
 * merges po/ into it): each translatable element is followed by its
 * translations, the same element with xml:lang. The one shown is the
 * environment's first language that has it (g_get_language_names()), else
 * the English original. */
#include "rs-about.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "config.h"

#define METAINFO_RESOURCE "/io/github/reskill/Reskill/metainfo.xml"
/* The icon keeps the base application id in every profile (data/meson.build). */
#define ICON_NAME "io.github.reskill.Reskill"

typedef enum {
  BLOCK_PARAGRAPH,
  BLOCK_ITEM,
  BLOCK_LIST_START,
  BLOCK_LIST_END,
} BlockKind;

typedef struct {
  BlockKind kind;
  gboolean ordered;        /* lists */
  char *text;
  guint rank;              /* of text's language: lower is preferred */
} Block;

typedef struct {
  const char *version;
  const char *const *languages;
  guint n_languages;
  GPtrArray *path;         /* element names from the root */
  /* The element whose text is being read, and its language's rank. */
  char **target_text;
  guint *target_rank;
  GString *text;
  guint text_rank;
  gboolean in_release;     /* inside the <release> of this version */
  gboolean release_found;
  GArray *blocks;
  /* Best candidates of the simple elements. */
  char *name, *summary, *developer_name;
  guint name_rank, summary_rank, developer_rank;
  char *project_license, *homepage, *bugtracker;
  char *url_type;          /* of the <url> being read */
} Parser;

static void
block_clear (gpointer data)
{
  g_free (((Block *) data)->text);
}

/* Where lang stands in the environment's languages; the untranslated
 * original ranks with "C", after every named language. */
static guint
language_rank (Parser *parser, const char *lang)
{
  if (lang == NULL)
    lang = "C";
  for (guint i = 0; i < parser->n_languages; i++)
    if (g_strcmp0 (parser->languages[i], lang) == 0)
      return i;
  return G_MAXUINT;
}

static const char *
attribute (const char **names, const char **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], wanted) == 0)
      return values[i];
  return NULL;
}

static gboolean
path_is (Parser *parser, guint depth, const char *const *names)
{
  if (parser->path->len != depth)
    return FALSE;
  for (guint i = 0; i < depth; i++)
    if (g_strcmp0 (g_ptr_array_index (parser->path, i), names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Inside <description> of the release shown, the innermost element below it. */
static gboolean
in_release_description (Parser *parser)
{
  static const char *const release[] = { "component", "releases", "release", "description" };

  if (!parser->in_release || parser->path->len < 4)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (release); i++)
    if (g_strcmp0 (g_ptr_array_index (parser->path, i), release[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
start_text (Parser *parser, guint rank)
{
  g_string_truncate (parser->text, 0);
  parser->text_rank = rank;
}

static void
on_start (GMarkupParseContext *context, const char *element, const char **names, const char **values,
          gpointer data, GError **error)
{
  Parser *parser = data;
  const char *lang = attribute (names, values, "xml:lang");
  guint rank = language_rank (parser, lang);
  static const char *const component[] = { "component" };
  static const char *const releases[] = { "component", "releases" };

  parser->target_text = NULL;
  if (path_is (parser, 1, component))
    {
      if (g_str_equal (element, "name"))
        {
          parser->target_text = &parser->name;
          parser->target_rank = &parser->name_rank;
        }
      else if (g_str_equal (element, "summary"))
        {
          parser->target_text = &parser->summary;
          parser->target_rank = &parser->summary_rank;
        }
      else if (g_str_equal (element, "developer_name"))
        {
          parser->target_text = &parser->developer_name;
          parser->target_rank = &parser->developer_rank;
        }
      if (g_str_equal (element, "url"))
        {
          g_free (parser->url_type);
          parser->url_type = g_strdup (attribute (names, values, "type"));
        }
      start_text (parser, rank);
    }
  else if (path_is (parser, 2, releases) && g_str_equal (element, "release"))
    {
      /* The first <release> of this version (there should be one). */
      parser->in_release = !parser->release_found
                           && g_strcmp0 (attribute (names, values, "version"), parser->version) == 0;
      parser->release_found |= parser->in_release;
    }
  else if (in_release_description (parser))
    {
      Block block = { 0 };

      if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
        {
          block.kind = BLOCK_LIST_START;
          block.ordered = g_str_equal (element, "ol");
          g_array_append_val (parser->blocks, block);
        }
      else if (g_str_equal (element, "p") || g_str_equal (element, "li"))
        start_text (parser, rank);
    }
  g_ptr_array_add (parser->path, g_strdup (element));
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize length, gpointer data, GError **error)
{
  Parser *parser = data;

  /* Inline markup inside a paragraph (<em>, <code>) keeps its words. */
  g_string_append_len (parser->text, text, (gssize) length);
}

/* White space as a browser shows it: runs become one space, none at the ends. */
static char *
collapse (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      {
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }
  return g_string_free (out, FALSE);
}

static void
keep_best (char **text, guint *rank, char *candidate, guint candidate_rank)
{
  /* A translation to a language the environment does not ask for never
   * wins; the original (rank of "C") always can. */
  if (*text == NULL || candidate_rank < *rank)
    {
      g_free (*text);
      *text = candidate;
      *rank = candidate_rank;
    }
  else
    g_free (candidate);
}

static void
end_block (Parser *parser, BlockKind kind, guint rank)
{
  char *text = collapse (parser->text->str);
  Block *last = parser->blocks->len > 0 ? &g_array_index (parser->blocks, Block, parser->blocks->len - 1) : NULL;

  /* A translation follows its original: it competes with it. */
  if (rank != language_rank (parser, NULL) && last != NULL && last->kind == kind)
    {
      if (rank < last->rank)
        {
          g_free (last->text);
          last->text = text;
          last->rank = rank;
        }
      else
        g_free (text);
      return;
    }
  {
    Block block = { .kind = kind, .text = text, .rank = rank };

    g_array_append_val (parser->blocks, block);
  }
}

static void
on_end (GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
  Parser *parser = data;
  g_autofree char *name = g_ptr_array_steal_index (parser->path, parser->path->len - 1);
  static const char *const component[] = { "component" };
  static const char *const releases[] = { "component", "releases" };

  if (path_is (parser, 1, component))
    {
      char *text = collapse (parser->text->str);
      char **plain = NULL;

      if (g_str_equal (element, "project_license"))
        plain = &parser->project_license;
      else if (g_str_equal (element, "url") && g_strcmp0 (parser->url_type, "homepage") == 0)
        plain = &parser->homepage;
      else if (g_str_equal (element, "url") && g_strcmp0 (parser->url_type, "bugtracker") == 0)
        plain = &parser->bugtracker;
      if (parser->target_text != NULL)
        keep_best (parser->target_text, parser->target_rank, text, parser->text_rank);
      else if (plain != NULL)
        {
          g_free (*plain);
          *plain = text;
        }
      else
        g_free (text);
      parser->target_text = NULL;
    }
  else if (path_is (parser, 2, releases) && g_str_equal (element, "release"))
    parser->in_release = FALSE;
  else if (in_release_description (parser))
    {
      if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
        {
          Block block = { .kind = BLOCK_LIST_END, .ordered = g_str_equal (element, "ol") };

          g_array_append_val (parser->blocks, block);
        }
      else if (g_str_equal (element, "p"))
        end_block (parser, BLOCK_PARAGRAPH, parser->text_rank);
      else if (g_str_equal (element, "li"))
        end_block (parser, BLOCK_ITEM, parser->text_rank);
    }
}

static char *
release_markup (Parser *parser)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < parser->blocks->len; i++)
    {
      const Block *block = &g_array_index (parser->blocks, Block, i);
      g_autofree char *escaped = block->text != NULL ? g_markup_escape_text (block->text, -1) : NULL;

      switch (block->kind)
        {
        case BLOCK_PARAGRAPH:
          g_string_append_printf (out, "<p>%s</p>", escaped);
          break;
        case BLOCK_ITEM:
          g_string_append_printf (out, "<li>%s</li>", escaped);
          break;
        case BLOCK_LIST_START:
          g_string_append (out, block->ordered ? "<ol>" : "<ul>");
          break;
        case BLOCK_LIST_END:
          g_string_append (out, block->ordered ? "</ol>" : "</ul>");
          break;
        default:
          break;
        }
    }
  if (out->len == 0)
    return g_string_free (out, TRUE);
  return g_string_free (out, FALSE);
}

gboolean
rs_about_info_parse (RsAboutInfo *info, const char *xml, gssize length, const char *version,
                     const char *const *languages, GError **error)
{
  g_autoptr (GMarkupParseContext) context = NULL;
  GMarkupParser callbacks = { on_start, on_end, on_text, NULL, NULL };
  Parser parser = { 0 };
  gboolean ok;

  g_return_val_if_fail (info != NULL && xml != NULL && version != NULL && languages != NULL, FALSE);
  *info = (RsAboutInfo) { 0 };
  parser.version = version;
  parser.languages = languages;
  parser.n_languages = g_strv_length ((char **) languages);
  parser.path = g_ptr_array_new_with_free_func (g_free);
  parser.text = g_string_new (NULL);
  parser.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (parser.blocks, block_clear);
  context = g_markup_parse_context_new (&callbacks, G_MARKUP_PREFIX_ERROR_POSITION, &parser, NULL);
  ok = g_markup_parse_context_parse (context, xml, length, error) && g_markup_parse_context_end_parse (context, error);
  if (ok && (parser.name == NULL || parser.name[0] == '\0'))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "the metainfo has no <name>");
      ok = FALSE;
    }
  if (ok)
    {
      info->name = g_steal_pointer (&parser.name);
      info->summary = g_steal_pointer (&parser.summary);
      info->developer_name = g_steal_pointer (&parser.developer_name);
      info->project_license = g_steal_pointer (&parser.project_license);
      info->homepage = g_steal_pointer (&parser.homepage);
      info->bugtracker = g_steal_pointer (&parser.bugtracker);
      info->release_notes = release_markup (&parser);
    }
  g_free (parser.name);
  g_free (parser.summary);
  g_free (parser.developer_name);
  g_free (parser.project_license);
  g_free (parser.homepage);
  g_free (parser.bugtracker);
  g_free (parser.url_type);
  g_ptr_array_unref (parser.path);
  g_string_free (parser.text, TRUE);
  g_array_unref (parser.blocks);
  return ok;
}

gboolean
rs_about_info_load (RsAboutInfo *info, const char *resource_path, const char *version, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (info != NULL && resource_path != NULL && version != NULL, FALSE);
  *info = (RsAboutInfo) { 0 };
  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  return rs_about_info_parse (info, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), version,
                              g_get_language_names (), error);
}

void
rs_about_info_clear (RsAboutInfo *info)
{
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->summary, g_free);
  g_clear_pointer (&info->developer_name, g_free);
  g_clear_pointer (&info->project_license, g_free);
  g_clear_pointer (&info->homepage, g_free);
  g_clear_pointer (&info->bugtracker, g_free);
  g_clear_pointer (&info->release_notes, g_free);
}

/* The libraries Reskill is built on, with their licences, for the About
 * window's legal page (names are not translated). */
static const struct {
  const char *name;
  GtkLicense license;
  const char *custom;      /* for GTK_LICENSE_CUSTOM */
} libraries[] = {
  { "GTK", GTK_LICENSE_LGPL_2_1, NULL },
  { "libadwaita", GTK_LICENSE_LGPL_2_1, NULL },
  { "GtkSourceView", GTK_LICENSE_LGPL_2_1, NULL },
  { "GLib", GTK_LICENSE_LGPL_2_1, NULL },
  { "Pango", GTK_LICENSE_LGPL_2_1, NULL },
  { "cairo", GTK_LICENSE_CUSTOM, N_("GNU Lesser General Public License, version 2.1, or Mozilla Public License, version 1.1") },
  { "SQLite", GTK_LICENSE_CUSTOM, N_("Public domain") },
  { "libsodium", GTK_LICENSE_CUSTOM, N_("ISC licence") },
  { "LibYAML", GTK_LICENSE_MIT_X11, NULL },
  { "libcsv", GTK_LICENSE_LGPL_2_1, NULL },
  { "GNU Scientific Library", GTK_LICENSE_GPL_3_0, NULL },
};

GtkWindow *
rs_about_window_new (GtkWindow *parent)
{
  g_autoptr (GError) error = NULL;
  RsAboutInfo info;
  AdwAboutWindow *about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  const char *translators = _("translator-credits");

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (about), parent);
      gtk_window_set_modal (GTK_WINDOW (about), TRUE);
    }
  adw_about_window_set_application_icon (about, ICON_NAME);
  adw_about_window_set_version (about, RESKILL_VERSION);
  /* The metainfo is compiled into the program: it is missing only from a
   * broken build, which should still show what it can. */
  if (!rs_about_info_load (&info, METAINFO_RESOURCE, RESKILL_VERSION, &error))
    {
      g_warning ("About: %s", error->message);
      adw_about_window_set_application_name (about, "Reskill");
      return GTK_WINDOW (about);
    }

  adw_about_window_set_application_name (about, info.name);
  if (info.summary != NULL)
    adw_about_window_set_comments (about, info.summary);
  if (info.developer_name != NULL)
    {
      g_autofree char *credit = info.homepage != NULL ? g_strdup_printf ("%s %s", info.developer_name, info.homepage)
                                                      : g_strdup (info.developer_name);
      const char *developers[] = { credit, NULL };
      /* Translators: the copyright line of the About window; %s is the
       * developers' name from the metainfo ("The Reskill developers"). */
      g_autofree char *copyright = g_strdup_printf (_("© %s"), info.developer_name);

      adw_about_window_set_developer_name (about, info.developer_name);
      adw_about_window_set_developers (about, developers);
      adw_about_window_set_copyright (about, copyright);
    }
  if (info.homepage != NULL)
    adw_about_window_set_website (about, info.homepage);
  if (info.bugtracker != NULL)
    adw_about_window_set_issue_url (about, info.bugtracker);
  if (g_strcmp0 (info.project_license, "GPL-3.0-or-later") == 0)
    adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  else if (info.project_license != NULL)
    {
      adw_about_window_set_license_type (about, GTK_LICENSE_CUSTOM);
      adw_about_window_set_license (about, info.project_license);
    }
  if (info.release_notes != NULL)
    {
      adw_about_window_set_release_notes_version (about, RESKILL_VERSION);
      adw_about_window_set_release_notes (about, info.release_notes);
    }
  /* "translator-credits" comes back as itself until a language names its
   * translators. */
  if (g_strcmp0 (translators, "translator-credits") != 0)
    adw_about_window_set_translator_credits (about, translators);
  for (gsize i = 0; i < G_N_ELEMENTS (libraries); i++)
    adw_about_window_add_legal_section (about, libraries[i].name, NULL, libraries[i].license,
                                        libraries[i].custom != NULL ? _(libraries[i].custom) : NULL);
  rs_about_info_clear (&info);
  return GTK_WINDOW (about);
}
