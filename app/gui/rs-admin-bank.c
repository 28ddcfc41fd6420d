/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A reload builds a whole new bank and swaps it in only when it loaded
 * something: a folder emptied by mistake must not leave the kiosk with no
 * questions. The swap is refused while an assessment holds the old bank
 * (rs_context_replace_bank); an admin on this page has none. */
#include "rs-admin-bank.h"

#include <math.h>
#include <string.h>

#include "rs-dialogs.h"
#include "rs-error.h"
#include "rs-item-stats.h"

#define MAX_ROWS 200

struct _RsAdminBank
{
  AdwBin parent_instance;

  RsContext *context;
  GPtrArray *rows;                 /* (row, group) pairs */
  GPtrArray *lines;                /* char *: the diagnostics shown */

  GtkLabel *folder_label;
  GtkLabel *summary_label;
  AdwPreferencesGroup *diagnostics_group;
  AdwPreferencesGroup *stats_group;
};

G_DEFINE_FINAL_TYPE (RsAdminBank, rs_admin_bank, ADW_TYPE_BIN)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_group (RsAdminBank *self, AdwPreferencesGroup *group)
{
  for (guint i = self->rows->len; i >= 2; i -= 2)
    if (g_ptr_array_index (self->rows, i - 1) == group)
      {
        adw_preferences_group_remove (group, g_ptr_array_index (self->rows, i - 2));
        g_ptr_array_remove_range (self->rows, i - 2, 2);
      }
}

static GtkWidget *
add_row (RsAdminBank *self, AdwPreferencesGroup *group, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
  return row;
}

void
rs_admin_bank_clear (RsAdminBank *self)
{
  g_return_if_fail (RS_IS_ADMIN_BANK (self));
  clear_group (self, self->diagnostics_group);
  clear_group (self, self->stats_group);
  g_ptr_array_set_size (self->lines, 0);
}

/* By file, then line: the order an author works through them. */
static int
compare_diagnostics (gconstpointer a, gconstpointer b)
{
  const RsDiagnostic *x = *(const RsDiagnostic *const *) a;
  const RsDiagnostic *y = *(const RsDiagnostic *const *) b;
  int by_file = g_strcmp0 (x->file, y->file);

  return by_file != 0 ? by_file : (x->line > y->line) - (x->line < y->line);
}

static void
show_bank (RsAdminBank *self, const RsBank *bank)
{
  g_autoptr (GPtrArray) diagnostics = g_ptr_array_new ();
  guint n;
  const char *dir = rs_context_get_questions_dir (self->context);
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;

  if (bank != NULL)
    for (guint i = 0; i < rs_bank_diagnostics (bank)->len; i++)
      g_ptr_array_add (diagnostics, g_ptr_array_index (rs_bank_diagnostics (bank), i));
  g_ptr_array_sort (diagnostics, compare_diagnostics);
  n = diagnostics->len;
  gtk_label_set_text (self->folder_label, dir != NULL ? dir : "(not known: the bank was not loaded from a folder)");
  if (bank != NULL)
    {
      guint per_skill[RS_N_SKILLS];
      g_autoptr (GString) text = g_string_new (NULL);

      for (int s = 0; s < RS_N_SKILLS; s++)
        per_skill[s] = rs_bank_skill_items (bank, (RsSkill) s)->len;
      g_string_append_printf (text, "%u questions", rs_bank_n_items (bank));
      for (int s = 0; s < RS_N_SKILLS; s++)
        g_string_append_printf (text, "%s%s %u", s == 0 ? ": " : ", ", rs_skill_title ((RsSkill) s), per_skill[s]);
      g_string_append_printf (text, ". %u problem%s.", n, n == 1 ? "" : "s");
      summary = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else
    summary = g_strdup ("No question bank is loaded.");
  gtk_label_set_text (self->summary_label, summary);

  clear_group (self, self->diagnostics_group);
  g_ptr_array_set_size (self->lines, 0);
  for (guint i = 0; i < n; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *where = d->line > 0 ? g_strdup_printf ("%s:%d", d->file, d->line) : g_strdup (d->file);
      char *line = g_strdup_printf ("%s: %s", where, d->message);
      /* On screen, the path within the folder: the part an author edits. */
      const char *shown = where;

      if (dir != NULL && g_str_has_prefix (where, dir) && where[strlen (dir)] == G_DIR_SEPARATOR)
        shown = where + strlen (dir) + 1;
      g_ptr_array_add (self->lines, line);
      if (i < MAX_ROWS)
        {
          GtkWidget *row = add_row (self, self->diagnostics_group, d->message, shown);
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Problem", -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          gtk_widget_add_css_class (icon, "warning");
        }
    }
  if (n == 0)
    add_row (self, self->diagnostics_group, "No problems found", "Every question in the folder passed validation.");
  if (n > MAX_ROWS)
    description = g_strdup_printf ("%u problems; the first %u are listed. Run “reskill validate” for all of them.", n, MAX_ROWS);
  else
    description = g_strdup ("Problems in the question files, as file:line: message. A broken question is left out; the rest of its file still loads.");
  adw_preferences_group_set_description (self->diagnostics_group, description);
}

static gboolean
show_stats (RsAdminBank *self, GError **error)
{
  RsItemStatsOptions options;
  g_autoptr (GPtrArray) stats = NULL;
  guint n_flagged = 0;
  g_autofree char *description = NULL;

  rs_item_stats_options_init (&options);
  stats = rs_item_stats_compute (rs_context_get_store (self->context), rs_context_get_person (self->context),
                                 &options, error);
  if (stats == NULL)
    return FALSE;
  clear_group (self, self->stats_group);
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      if (stat->flags & RS_ITEM_FLAGS_REVIEW)
        n_flagged++;
    }
  for (guint i = 0; i < stats->len && i < MAX_ROWS; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      g_autofree char *reasons = rs_item_stat_reasons (stat, &options);
      g_autofree char *title = NULL;
      g_autofree char *numbers = NULL;
      g_autofree char *discrimination = isnan (stat->discrimination) ? g_strdup ("n/a")
                                                                     : g_strdup_printf ("%.2f", stat->discrimination);
      g_autofree char *subtitle = NULL;
      gboolean review = (stat->flags & RS_ITEM_FLAGS_REVIEW) != 0;
      GtkWidget *row;

      title = g_strdup_printf ("%s%s · %s", review ? "Review: " : "", stat->item_id, rs_skill_title (stat->skill));
      numbers = g_strdup_printf ("shown %d× · facility %.2f · discrimination %s · exposure %.2f · %.0f s on average",
                                 stat->n_shown, stat->facility, discrimination, stat->exposure, stat->mean_time_ms / 1000);
      subtitle = reasons[0] != '\0' ? g_strdup_printf ("%s\n%s", reasons, numbers) : g_strdup (numbers);
      row = add_row (self, self->stats_group, title, subtitle);
      if (review)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Flagged for review", -1);
          gtk_widget_add_css_class (icon, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
    }
  if (stats->len == 0)
    add_row (self, self->stats_group, "No responses yet", "Statistics appear once people have answered questions.");
  description = g_strdup_printf ("%u question%s answered so far; %u flagged for review, listed first with the reasons. "
                                 "Below %d responses the numbers are too few to judge.",
                                 stats->len, stats->len == 1 ? "" : "s", n_flagged, options.min_responses);
  adw_preferences_group_set_description (self->stats_group, description);
  return TRUE;
}

gboolean
rs_admin_bank_refresh (RsAdminBank *self, GError **error)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  g_return_val_if_fail (self->context != NULL, FALSE);
  show_bank (self, rs_context_get_bank (self->context));
  return show_stats (self, error);
}

gboolean
rs_admin_bank_reload (RsAdminBank *self, GError **error)
{
  const char *dir;
  g_autoptr (RsBank) bank = NULL;
  g_autofree char *toast = NULL;
  guint n_items, n_problems;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  dir = rs_context_get_questions_dir (self->context);
  if (dir == NULL)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, "This window was not started with a questions folder");
      return FALSE;
    }
  bank = rs_bank_new ();
  if (!rs_bank_load_dir (bank, dir, error))
    return FALSE;
  n_items = rs_bank_n_items (bank);
  n_problems = rs_bank_diagnostics (bank)->len;
  if (n_items == 0)
    {
      /* Show why, but keep the questions in use. */
      show_bank (self, bank);
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s has no valid question (%u problem%s listed below); the questions in use are kept", dir,
                   n_problems, n_problems == 1 ? "" : "s");
      return FALSE;
    }
  if (!rs_context_replace_bank (self->context, bank))
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, "An assessment is under way on this window; finish or pause it first");
      return FALSE;
    }
  /* The context owns it now. */
  show_bank (self, g_steal_pointer (&bank));
  toast = g_strdup_printf ("Reloaded %u question%s, %u problem%s", n_items, n_items == 1 ? "" : "s", n_problems,
                           n_problems == 1 ? "" : "s");
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
  return TRUE;
}

guint
rs_admin_bank_get_n_diagnostics (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), 0);
  return self->lines->len;
}

const GPtrArray *
rs_admin_bank_get_diagnostic_lines (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), NULL);
  return self->lines;
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_bank_reload (RS_ADMIN_BANK (widget), &error))
    rs_dialog_message (widget, "bank-reload-error", "The Questions Were Not Reloaded", error->message);
}

static void
rs_admin_bank_dispose (GObject *object)
{
  RsAdminBank *self = RS_ADMIN_BANK (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (rs_admin_bank_parent_class)->dispose (object);
}

static void
rs_admin_bank_finalize (GObject *object)
{
  RsAdminBank *self = RS_ADMIN_BANK (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->lines);
  G_OBJECT_CLASS (rs_admin_bank_parent_class)->finalize (object);
}

static void
rs_admin_bank_class_init (RsAdminBankClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_admin_bank_dispose;
  object_class->finalize = rs_admin_bank_finalize;

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "bank.reload", NULL, reload_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-bank.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, folder_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, diagnostics_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, stats_group);
}

static void
rs_admin_bank_init (RsAdminBank *self)
{
  self->rows = g_ptr_array_new ();
  self->lines = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
rs_admin_bank_set_context (RsAdminBank *self, RsContext *context)
{
  g_return_if_fail (RS_IS_ADMIN_BANK (self));
  g_set_object (&self->context, context);
}
