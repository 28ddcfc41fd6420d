/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sections of the team report's PDF, in page order. Layout works in
 * points on A4; every table row is measured before it is drawn, and a row
 * that does not fit starts a new page under a "(continued)" heading, so
 * nothing is clipped by the footer. */
#include "rs-report-pdf.h"


#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-pdf-doc.h"
#include "rs-report-cells.h"
#include "rs-report-charts.h"

#define BODY 9.0
#define SMALL 8.0

/* Where each section starts: learned in the first pass, printed in the
 * contents on the second. */
typedef struct {
  int map, distributions, progress, readiness, training, members;
} Sections;

typedef struct {
  const RsTeamReport *report;
  const RsTrainingNeeds *needs;    /* may be NULL: no training needs section */
  const char *org_name;
  RsPdfDoc *doc;
  RsDraw *draw;
  Sections *found;                 /* filled in while drawing */
  const Sections *known;           /* from the first pass; zeros during it */
} Ctx;

static double
column_width (const Ctx *ctx)
{
  return ctx->doc->right - ctx->doc->left;
}

/* A section's first page, with its heading. */
static void
begin_section (Ctx *ctx, const char *title, int *page)
{
  rs_pdf_doc_new_page (ctx->doc);
  *page = ctx->doc->page;
  rs_pdf_doc_heading (ctx->doc, title, TRUE);
}

/* Starts a new page, headed "title (continued)", when height does not fit. */
static gboolean
ensure (Ctx *ctx, double height, const char *title)
{
  g_autofree char *continued = NULL;

  if (!rs_pdf_doc_ensure (ctx->doc, height))
    return FALSE;
  /* Translators: a section's heading on its next page. */
  continued = g_strdup_printf (_("%s (continued)"), title);
  rs_pdf_doc_heading (ctx->doc, continued, FALSE);
  return TRUE;
}

/* --- title page --- */

static void
contents_line (Ctx *ctx, const char *title, int page)
{
  RsPdfDoc *doc = ctx->doc;
  g_autofree char *number = page > 0 ? g_strdup_printf ("%d", page) : g_strdup ("");

  rs_draw_text (ctx->draw, title, doc->left + 12, doc->y, 300, 10.5, 0);
  rs_draw_text (ctx->draw, number, doc->left + 312, doc->y, 40, 10.5, RS_TEXT_RIGHT);
  doc->y += 16;
}

static void
draw_title_page (Ctx *ctx)
{
  const RsTeamReport *report = ctx->report;
  RsPdfDoc *doc = ctx->doc;
  g_autofree char *date = rs_report_format_date (report->generated_at);
  /* Translators: a date, then who made the report (a person's name, or "Reskill"). */
  g_autofree char *generated = g_strdup_printf (_("Generated on %s by %s"), date,
                                                report->viewer_name != NULL ? report->viewer_name : "Reskill");
  g_autofree char *members = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u member", "%u members",
                                                           report->n_members),
                                              report->n_members);
  guint measured = report->n_measured_members;

  rs_pdf_doc_new_page (doc);
  doc->y = 170;
  if (ctx->org_name != NULL && *ctx->org_name != '\0')
    doc->y += rs_draw_text (ctx->draw, ctx->org_name, doc->left, doc->y, column_width (ctx), 14,
                            RS_TEXT_MUTED | RS_TEXT_WRAP) + 8;
  doc->y += rs_draw_text (ctx->draw, _("Team skills report"), doc->left, doc->y, column_width (ctx), 28,
                          RS_TEXT_BOLD) + 6;
  doc->y += rs_draw_text (ctx->draw, report->team_name, doc->left, doc->y, column_width (ctx), 20,
                          RS_TEXT_WRAP) + 18;
  rs_draw_color (ctx->draw, &ctx->draw->palette->grid);
  rs_draw_rule (ctx->draw, doc->left, doc->y, doc->left + 200, doc->y, 1.2);
  doc->y += 14;
  rs_pdf_doc_paragraph (doc, generated, 10.5, 0);
  if (report->n_members == 0)
    {
      doc->y += 30;
      rs_pdf_doc_paragraph (doc, _("No members yet"), 16, RS_TEXT_BOLD);
      rs_pdf_doc_paragraph (doc, _("When people join this team and finish an assessment, their results "
                                 "appear in this report."), 10.5, RS_TEXT_MUTED);
      return;
    }
  {
    /* Translators: "12 members", then how many of them have results. */
    g_autofree char *line = g_strdup_printf (_("%s, %u with results"), members, measured);
    rs_pdf_doc_paragraph (doc, line, 10.5, 0);
  }
  if (!report->names_shown)
    {
      /* The organization's privacy policy: said on the first page, so that
       * nobody takes the missing names for missing data. */
      g_autofree char *policy = g_strdup_printf (_("Team figures only: the privacy policy for this team shows no "
                                                   "one’s name or own results. Figures about fewer than %u people "
                                                   "are shown as “too few to show”."), report->min_group);
      doc->y += 12;
      rs_pdf_doc_paragraph (doc, policy, 10.5, RS_TEXT_BOLD);
    }
  doc->y += 30;
  doc->y += rs_draw_text (ctx->draw, _("Contents"), doc->left, doc->y, 300, 12, RS_TEXT_BOLD) + 6;
  if (report->names_shown)
    contents_line (ctx, _("Skills map"), ctx->known->map);
  contents_line (ctx, _("Level distributions"), ctx->known->distributions);
  contents_line (ctx, _("Progress by quarter"), ctx->known->progress);
  contents_line (ctx, _("Role readiness"), ctx->known->readiness);
  if (ctx->needs != NULL)
    contents_line (ctx, _("Training needs"), ctx->known->training);
  if (report->names_shown)
    contents_line (ctx, _("Members"), ctx->known->members);
  doc->y += 30;
  rs_pdf_doc_paragraph (doc,
    _("How to read it: each skill gets a score from 0 to 100 with an 80% band, \u201c62 (55\u201369)\u201d. "
    "A level is claimed only when it is at least 80% likely; otherwise the result is shown as "
    "between the levels it most likely lies in. A role is met when every skill it wants is at its level or above."),
    9, RS_TEXT_MUTED);
}

/* --- skills map --- */

#define MAP_NO_WIDTH 44.0
#define MAP_SKILL_WIDTH 74.0
#define MAP_FIT_WIDTH 92.0
#define MAP_ROW 27.0
#define MAP_HEADER 18.0

static void
map_header (Ctx *ctx)
{
  RsPdfDoc *doc = ctx->doc;
  double name_width = column_width (ctx) - MAP_NO_WIDTH - RS_N_SKILLS * MAP_SKILL_WIDTH - MAP_FIT_WIDTH;
  double x = doc->left + MAP_NO_WIDTH + name_width;

  rs_draw_text (ctx->draw, _("Best fit"), x + RS_N_SKILLS * MAP_SKILL_WIDTH + 6, doc->y, MAP_FIT_WIDTH - 6, SMALL,
                RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("No."), doc->left, doc->y, MAP_NO_WIDTH - 4, SMALL, RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("Name"), doc->left + MAP_NO_WIDTH, doc->y, name_width - 4, SMALL, RS_TEXT_BOLD);
  for (int s = 0; s < RS_N_SKILLS; s++)
    rs_draw_text (ctx->draw, rs_skill_title ((RsSkill) s), x + s * MAP_SKILL_WIDTH, doc->y, MAP_SKILL_WIDTH,
                  SMALL, RS_TEXT_BOLD | RS_TEXT_CENTER);
  doc->y += MAP_HEADER;
}

static void
draw_map (Ctx *ctx)
{
  const RsTeamReport *report = ctx->report;
  RsPdfDoc *doc = ctx->doc;
  double name_width = column_width (ctx) - MAP_NO_WIDTH - RS_N_SKILLS * MAP_SKILL_WIDTH - MAP_FIT_WIDTH;

  begin_section (ctx, _("Skills map"), &ctx->found->map);
  rs_pdf_doc_paragraph (doc, _("Each member\u2019s latest result in each skill: the level, and the score with its "
                             "80% band."), BODY, RS_TEXT_MUTED);
  doc->y += rs_draw_level_legend (ctx->draw, doc->left, doc->y, column_width (ctx)) + 8;
  map_header (ctx);
  for (guint m = 0; m < report->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (report->members, m);
      double x = doc->left + MAP_NO_WIDTH + name_width;

      if (ensure (ctx, MAP_ROW, _("Skills map")))
        map_header (ctx);
      rs_draw_text (ctx->draw, member->employee_no, doc->left, doc->y + MAP_ROW / 2 - 6, MAP_NO_WIDTH - 4, SMALL, 0);
      rs_draw_text (ctx->draw, member->name, doc->left + MAP_NO_WIDTH, doc->y + MAP_ROW / 2 - 6, name_width - 6,
                    8.5, 0);
      for (int s = 0; s < RS_N_SKILLS; s++)
        rs_draw_result_cell (ctx->draw, &member->latest[s], x + s * MAP_SKILL_WIDTH + 1, doc->y + 1,
                             MAP_SKILL_WIDTH - 2, MAP_ROW - 2);
      {
        /* The best-fitting role, and whether it is met yet: as the window's
         * map and the member's own page say it. */
        double fx = x + RS_N_SKILLS * MAP_SKILL_WIDTH + 6, fw = MAP_FIT_WIDTH - 6;

        if (member->best == NULL)
          rs_draw_text (ctx->draw, "\u2014", fx, doc->y + MAP_ROW / 2 - 6, fw, SMALL, RS_TEXT_MUTED);
        else
          {
            /* Two lines for a long role's name, then whether it is met:
             * a row is tall enough for three at this size. */
            double h = rs_draw_text (ctx->draw, member->best->role->name, fx, doc->y + 1, fw, SMALL * 0.85,
                                     RS_TEXT_WRAP);

            rs_draw_text (ctx->draw, member->best->met ? _("met") : _("not yet met"), fx, doc->y + 1 + h, fw,
                          SMALL * 0.8, RS_TEXT_MUTED);
          }
      }
      doc->y += MAP_ROW;
    }
}

/* --- distributions --- */

/* What the privacy policy leaves out of a chart or a cell. */
#define TOO_FEW _("too few to show")

static void
too_few_box (Ctx *ctx, const char *title, double x, double y, double width, double height)
{
  rs_draw_text (ctx->draw, title, x, y, width, 10, RS_TEXT_BOLD);
  rs_draw_color (ctx->draw, &ctx->draw->palette->not_measured);
  cairo_rectangle (ctx->draw->cr, x, y + 20, width, height - 20);
  cairo_fill (ctx->draw->cr);
  rs_draw_text (ctx->draw, _("Too few to show: fewer members have a result than the privacy policy needs "
                             "for a team figure."), x + 12, y + height / 2, width - 24, BODY,
                RS_TEXT_CENTER | RS_TEXT_WRAP | RS_TEXT_MUTED);
}

static void
draw_distributions (Ctx *ctx)
{
  RsPdfDoc *doc = ctx->doc;
  double gap = 24, chart_w = (column_width (ctx) - gap) / 2, chart_h = 190;

  begin_section (ctx, _("Level distributions"), &ctx->found->distributions);
  rs_pdf_doc_paragraph (doc, _("How many members are at each level of each skill, by their latest result."),
                        BODY, RS_TEXT_MUTED);
  doc->y += 6;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      double x = doc->left + (s % 2) * (chart_w + gap);
      double y = doc->y + (s / 2) * (chart_h + gap);

      if (ctx->report->too_few[s])
        too_few_box (ctx, rs_skill_title ((RsSkill) s), x, y, chart_w, chart_h);
      else
        rs_draw_distribution_chart (ctx->draw, rs_skill_title ((RsSkill) s), &ctx->report->distribution[s],
                                    x, y, chart_w, chart_h);
    }
  doc->y += 2 * (chart_h + gap);
}

/* --- progress --- */

static void
progress_row (Ctx *ctx, const char *first, char *cells[RS_N_SKILLS], RsTextFlags flags)
{
  RsPdfDoc *doc = ctx->doc;
  double first_w = 90, cell_w = (column_width (ctx) - first_w) / RS_N_SKILLS;

  rs_draw_text (ctx->draw, first, doc->left, doc->y, first_w, SMALL, flags);
  for (int s = 0; s < RS_N_SKILLS; s++)
    rs_draw_text (ctx->draw, cells[s], doc->left + first_w + s * cell_w, doc->y, cell_w, SMALL,
                  flags | RS_TEXT_CENTER);
  doc->y += 14;
}

static void
draw_progress (Ctx *ctx)
{
  const GArray *progress = ctx->report->progress;
  RsPdfDoc *doc = ctx->doc;
  char *titles[RS_N_SKILLS];

  begin_section (ctx, _("Progress by quarter"), &ctx->found->progress);
  rs_pdf_doc_paragraph (doc, _("Where the team stood at the end of each calendar quarter: the mean of every "
                               "member\u2019s latest score by then (n: members measured)."), BODY, RS_TEXT_MUTED);
  doc->y += 4;
  rs_draw_progress_chart (ctx->draw, progress, doc->left, doc->y, column_width (ctx), 240);
  doc->y += 240 + 20;
  if (progress->len == 0)
    return;
  for (int s = 0; s < RS_N_SKILLS; s++)
    titles[s] = (char *) rs_skill_title ((RsSkill) s);
  progress_row (ctx, _("Quarter"), titles, RS_TEXT_BOLD);
  for (guint q = 0; q < progress->len; q++)
    {
      const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);
      /* Translators: a calendar quarter and its year, such as "Q3 2026". */
      g_autofree char *label = g_strdup_printf (_("Q%d %d"), point->quarter, point->year);
      char *cells[RS_N_SKILLS];

      if (ensure (ctx, 14, _("Progress by quarter")))
        progress_row (ctx, _("Quarter"), titles, RS_TEXT_BOLD);
      for (int s = 0; s < RS_N_SKILLS; s++)
        /* Translators: a mean score and how many results it is the mean of. */
        cells[s] = point->too_few[s] ? g_strdup (TOO_FEW)
                 : point->n[s] > 0 ? g_strdup_printf (_("%.0f (n %u)"), round (rs_score_from_theta (point->mean_theta[s])),
                                                      point->n[s])
                                   : g_strdup ("\u2014");
      progress_row (ctx, label, cells, 0);
      for (int s = 0; s < RS_N_SKILLS; s++)
        g_free (cells[s]);
    }
}

/* --- role readiness --- */

#define ROLE_W 150.0
#define READY_W 78.0
#define CLOSEST_W 120.0

static char *
steps_text (const GArray *steps)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      g_autofree char *step = rs_step_describe (&g_array_index (steps, RsStep, i));
      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, step);
    }
  return g_strdup (text->str);
}

static void
readiness_header (Ctx *ctx)
{
  RsPdfDoc *doc = ctx->doc;
  double x = doc->left;

  rs_draw_text (ctx->draw, _("Role"), x, doc->y, ROLE_W, SMALL, RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("Ready"), x + ROLE_W, doc->y, READY_W, SMALL, RS_TEXT_BOLD);
  if (!ctx->report->names_shown)
    {
      doc->y += 16;
      return;
    }
  rs_draw_text (ctx->draw, _("Closest of the others"), x + ROLE_W + READY_W, doc->y, CLOSEST_W, SMALL, RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("Their next step"), x + ROLE_W + READY_W + CLOSEST_W, doc->y,
                column_width (ctx) - ROLE_W - READY_W - CLOSEST_W, SMALL, RS_TEXT_BOLD);
  doc->y += 16;
}

static void
draw_readiness (Ctx *ctx)
{
  const RsTeamReport *report = ctx->report;
  RsPdfDoc *doc = ctx->doc;
  double step_w = column_width (ctx) - ROLE_W - READY_W - CLOSEST_W;
  guint n_members = report->n_members;

  begin_section (ctx, _("Role readiness"), &ctx->found->readiness);
  rs_pdf_doc_paragraph (doc, report->names_shown
                               ? _("How many members meet each role now, and who of the others is closest to it, "
                                   "with the raises that would open it.")
                               : _("How many members meet each role now."), BODY, RS_TEXT_MUTED);
  doc->y += 4;
  readiness_header (ctx);
  for (guint r = 0; r < report->readiness->len; r++)
    {
      const RsRoleReadiness *readiness = &g_array_index (report->readiness, RsRoleReadiness, r);
      const RsReportMember *closest = readiness->closest >= 0 ? g_ptr_array_index (report->members, readiness->closest)
                                                              : NULL;
      /* Translators: how many members meet a role, of how many. */
      g_autofree char *ready = report->readiness_too_few ? g_strdup (TOO_FEW)
                                                         : g_strdup_printf (_("%u of %u"), readiness->n_ready, n_members);
      g_autofree char *who = closest != NULL ? g_strdup_printf ("%s (%s)", closest->name, closest->employee_no)
                             : !report->names_shown ? g_strdup ("")
                             : g_strdup (readiness->n_ready == n_members ? _("everyone is ready") : "\u2014");
      g_autofree char *steps = steps_text (readiness->closest_steps);
      double height = MAX (rs_draw_text_height (ctx->draw, readiness->role->name, ROLE_W - 8, BODY, RS_TEXT_WRAP),
                           rs_draw_text_height (ctx->draw, who, CLOSEST_W - 8, BODY, RS_TEXT_WRAP));
      double x = doc->left, bar_w = READY_W - 16;

      height = MAX (height, rs_draw_text_height (ctx->draw, steps, step_w, BODY, RS_TEXT_WRAP));
      height = MAX (height, 22) + 8;
      if (ensure (ctx, height, _("Role readiness")))
        readiness_header (ctx);
      rs_draw_color (ctx->draw, &ctx->draw->palette->grid);
      rs_draw_rule (ctx->draw, doc->left, doc->y - 3, doc->right, doc->y - 3, 0.4);
      rs_draw_text (ctx->draw, readiness->role->name, x, doc->y, ROLE_W - 8, BODY, RS_TEXT_WRAP | RS_TEXT_BOLD);
      rs_draw_text (ctx->draw, ready, x + ROLE_W, doc->y, READY_W, BODY, 0);
      /* A small bar: the share of the team that is ready. */
      rs_draw_color (ctx->draw, &ctx->draw->palette->not_measured);
      cairo_rectangle (ctx->draw->cr, x + ROLE_W, doc->y + 13, bar_w, 5);
      cairo_fill (ctx->draw->cr);
      if (n_members > 0 && readiness->n_ready > 0 && !report->readiness_too_few)
        {
          rs_draw_color (ctx->draw, &ctx->draw->palette->level[RS_LEVEL_PROFICIENT]);
          cairo_rectangle (ctx->draw->cr, x + ROLE_W, doc->y + 13, bar_w * readiness->n_ready / n_members, 5);
          cairo_fill (ctx->draw->cr);
        }
      rs_draw_text (ctx->draw, who, x + ROLE_W + READY_W, doc->y, CLOSEST_W - 8, BODY, RS_TEXT_WRAP);
      rs_draw_text (ctx->draw, steps, x + ROLE_W + READY_W + CLOSEST_W, doc->y, step_w, BODY, RS_TEXT_WRAP);
      doc->y += height;
    }
}

/* --- training needs --- */

#define NEED_W 170.0
#define LACK_W 86.0

static void
needs_header (Ctx *ctx)
{
  RsPdfDoc *doc = ctx->doc;

  rs_draw_text (ctx->draw, _("Subtopic"), doc->left, doc->y, NEED_W, SMALL, RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("Lacking"), doc->left + NEED_W, doc->y, LACK_W, SMALL, RS_TEXT_BOLD);
  rs_draw_text (ctx->draw, _("Learning steps"), doc->left + NEED_W + LACK_W, doc->y,
                column_width (ctx) - NEED_W - LACK_W, SMALL, RS_TEXT_BOLD);
  doc->y += 16;
}

static char *
needs_intro (const RsTrainingNeeds *needs)
{
  if (needs->role == NULL && needs->role_too_few)
    return g_strdup (_("Too few members have results to tell which role the team is heading to. Choose a role "
                       "in the window to see what its members lack."));
  if (needs->role == NULL)
    return g_strdup (_("No member has a result yet, so there are no training needs to show."));
  if (needs->role_chosen)
    /* Translators: %s is a role's name. */
    return g_strdup_printf (_("For the role %s, chosen by the manager: which subtopics how many members lack. A "
                              "member lacks a subtopic when their level is below the role’s and the role rests on "
                              "it, or when their answers in it fell clearly short of their level."),
                            needs->role->name);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "For the role the team is heading to, %s (the best fit of %u member): which "
                                       "subtopics how many members lack. A member lacks a subtopic when their level "
                                       "is below the role’s and the role rests on it, or when their answers in it "
                                       "fell clearly short of their level.",
                                       "For the role the team is heading to, %s (the best fit of %u members): which "
                                       "subtopics how many members lack. A member lacks a subtopic when their level "
                                       "is below the role’s and the role rests on it, or when their answers in it "
                                       "fell clearly short of their level.",
                                       needs->n_heading),
                          needs->role->name, needs->n_heading);
}

static char *
need_steps_text (const RsTrainingNeed *need)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; need->steps != NULL && i < need->steps->len; i++)
    {
      const RsLearningStep *step = g_ptr_array_index (need->steps, i);

      if (i > 0)
        g_string_append (text, "\n");
      if (step->source != NULL)
        /* Translators: a learning step: its title, then where to find it. */
        g_string_append_printf (text, _("%s (%s)"), step->title, step->source);
      else
        g_string_append (text, step->title);
    }
  if (text->len == 0)
    g_string_append (text, _("No learning steps in the catalogue yet."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
draw_training (Ctx *ctx)
{
  const RsTrainingNeeds *needs = ctx->needs;
  RsPdfDoc *doc = ctx->doc;
  double steps_w = column_width (ctx) - NEED_W - LACK_W;
  g_autofree char *intro = needs_intro (needs);

  begin_section (ctx, _("Training needs"), &ctx->found->training);
  rs_pdf_doc_paragraph (doc, intro, BODY, RS_TEXT_MUTED);
  doc->y += 4;
  if (needs->role == NULL || needs->needs->len == 0)
    {
      if (needs->role != NULL)
        rs_pdf_doc_paragraph (doc, _("No member lacks any subtopic of this role."), BODY, 0);
      return;
    }
  needs_header (ctx);
  for (guint i = 0; i < needs->needs->len; i++)
    {
      const RsTrainingNeed *need = g_ptr_array_index (needs->needs, i);
      /* Translators: a skill, then one of its subtopics. */
      g_autofree char *name = g_strdup_printf (_("%s: %s"), rs_skill_title (need->skill), need->title);
      g_autofree char *count = rs_training_need_describe_count (need);
      g_autofree char *steps = need_steps_text (need);
      double height = MAX (rs_draw_text_height (ctx->draw, name, NEED_W - 8, BODY, RS_TEXT_WRAP),
                           rs_draw_text_height (ctx->draw, steps, steps_w, SMALL, RS_TEXT_WRAP));

      height = MAX (height + (need->focus ? 11 : 0), 14) + 8;
      if (ensure (ctx, height, _("Training needs")))
        needs_header (ctx);
      rs_draw_color (ctx->draw, &ctx->draw->palette->grid);
      rs_draw_rule (ctx->draw, doc->left, doc->y - 3, doc->right, doc->y - 3, 0.4);
      {
        double h = rs_draw_text (ctx->draw, name, doc->left, doc->y, NEED_W - 8, BODY, RS_TEXT_WRAP | RS_TEXT_BOLD);
        if (need->focus)
          rs_draw_text (ctx->draw, _("the role rests on it"), doc->left, doc->y + h, NEED_W - 8, SMALL * 0.9,
                        RS_TEXT_MUTED);
      }
      rs_draw_text (ctx->draw, count, doc->left + NEED_W, doc->y, LACK_W - 6, BODY, RS_TEXT_WRAP);
      rs_draw_text (ctx->draw, steps, doc->left + NEED_W + LACK_W, doc->y, steps_w, SMALL, RS_TEXT_WRAP);
      doc->y += height;
    }
}

/* --- one table per member --- */

static const double member_cols[] = { 110, 150, 90, 80, 40 };   /* skill, level, score, date, items */

static void
member_row (Ctx *ctx, const char *cells[5], RsTextFlags flags)
{
  RsPdfDoc *doc = ctx->doc;
  double x = doc->left + 8;

  for (int c = 0; c < 5; c++)
    {
      rs_draw_text (ctx->draw, cells[c], x, doc->y, member_cols[c] - 6, SMALL, flags | (c == 4 ? RS_TEXT_RIGHT : 0));
      x += member_cols[c];
    }
  doc->y += 13;
}

static char *
member_summary (const RsReportMember *member)
{
  g_autofree char *next = NULL;

  if (member->best == NULL)
    return g_strdup (_("Best fit: not known yet (no finished assessment)."));
  if (member->advice->next_role != NULL)
    {
      g_autofree char *steps = steps_text (member->advice->next_steps);
      /* Translators: a role, then the raises that would open it. */
      next = g_strdup_printf (_("Next role: %s \u2014 %s."), member->advice->next_role->name, steps);
    }
  else
    next = g_strdup (_("Every role is met."));
  /* Translators: a role and how well the member fits it; the next role
   * (or "Every role is met.") follows. */
  return g_strdup_printf (member->best->met ? _("Best fit: %s (met, fit %.0f%%). %s")
                                            : _("Best fit: %s (not yet met, fit %.0f%%). %s"),
                          member->best->role->name, 100.0 * member->best->fit, next);
}

static void
draw_member (Ctx *ctx, const RsReportMember *member)
{
  RsPdfDoc *doc = ctx->doc;
  /* Translators: a member's name and employee number. */
  g_autofree char *title = g_strdup_printf (_("%s \u00b7 No. %s"), member->name, member->employee_no);
  g_autofree char *summary = member_summary (member);
  const char *header[5] = { _("Skill"), _("Level"), _("Score (band)"), _("Date"), _("Items") };
  double summary_h = rs_draw_text_height (ctx->draw, summary, column_width (ctx) - 8, BODY, RS_TEXT_WRAP);
  double height = 18 + summary_h + 6 + 13 * (RS_N_SKILLS + 1) + 16;

  ensure (ctx, height, _("Members"));
  rs_draw_color (ctx->draw, &ctx->draw->palette->not_measured);
  cairo_rectangle (ctx->draw->cr, doc->left, doc->y, column_width (ctx), 17);
  cairo_fill (ctx->draw->cr);
  rs_draw_text (ctx->draw, title, doc->left + 6, doc->y + 2, column_width (ctx) - 12, 10.5, RS_TEXT_BOLD);
  doc->y += 20;
  doc->y += rs_draw_text (ctx->draw, summary, doc->left + 8, doc->y, column_width (ctx) - 8, BODY, RS_TEXT_WRAP) + 6;
  member_row (ctx, header, RS_TEXT_BOLD | RS_TEXT_MUTED);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsReportResult *result = &member->latest[s];
      g_autofree char *level = result->measured ? rs_skill_score_describe (&result->score) : g_strdup (_("not measured"));
      g_autofree char *band = rs_report_result_band (result);
      g_autofree char *date = result->measured ? rs_report_format_date (result->date) : g_strdup ("");
      g_autofree char *items = result->measured ? g_strdup_printf ("%d", result->n_items) : g_strdup ("");
      const char *cells[5] = { rs_skill_title ((RsSkill) s), level, band, date, items };

      if (result->measured)
        rs_draw_level_fill (ctx->draw, result->score.level_low, result->score.level_high, doc->left, doc->y + 1, 5, 10);
      member_row (ctx, cells, result->measured ? 0 : RS_TEXT_MUTED);
    }
  doc->y += 16;
}

static void
draw_members (Ctx *ctx)
{
  begin_section (ctx, _("Members"), &ctx->found->members);
  for (guint m = 0; m < ctx->report->members->len; m++)
    draw_member (ctx, g_ptr_array_index (ctx->report->members, m));
}

/* --- the document --- */

static int
draw_document (const RsTeamReport *report, const RsTrainingNeeds *needs, const char *org_name,
               cairo_surface_t *surface, int n_pages, const Sections *known, Sections *found)
{
  /* Translators: the footer of every page; %s is the team's name. */
  g_autofree char *footer = g_strdup_printf (_("%s \u2014 team skills report"), report->team_name);
  g_autoptr (RsPdfDoc) doc = rs_pdf_doc_new (surface, n_pages, footer);
  Ctx ctx = { report, needs, org_name, doc, &doc->draw, found, known };

  draw_title_page (&ctx);
  if (report->n_members > 0)
    {
      if (report->names_shown)
        draw_map (&ctx);
      draw_distributions (&ctx);
      draw_progress (&ctx);
      draw_readiness (&ctx);
      if (needs != NULL)
        draw_training (&ctx);
      if (report->names_shown)
        draw_members (&ctx);
    }
  rs_pdf_doc_finish (doc);
  return doc->page;
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_surface (cairo_surface_t *surface, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("The PDF cannot be made: %s"), cairo_status_to_string (status));
  return FALSE;
}

GBytes *
rs_team_report_render_pdf (const RsTeamReport *report, const char *org_name, int *n_pages, GError **error)
{
  return rs_team_report_render_pdf_full (report, NULL, org_name, n_pages, error);
}

GBytes *
rs_team_report_render_pdf_full (const RsTeamReport *report, const RsTrainingNeeds *needs, const char *org_name,
                                int *n_pages, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  Sections known = { 0 }, found = { 0 };
  cairo_surface_t *surface;
  int pages;
  gboolean ok;

  g_return_val_if_fail (report != NULL, NULL);
  /* First pass: a surface that writes nothing, to count the pages. */
  surface = cairo_pdf_surface_create_for_stream (NULL, NULL, RS_PDF_A4_WIDTH, RS_PDF_A4_HEIGHT);
  pages = draw_document (report, needs, org_name, surface, 0, &known, &known);
  cairo_surface_finish (surface);
  ok = check_surface (surface, error);
  cairo_surface_destroy (surface);
  if (!ok)
    return NULL;

  surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, RS_PDF_A4_WIDTH, RS_PDF_A4_HEIGHT);
  {
    g_autofree char *title = g_strdup_printf (_("Team skills report: %s"), report->team_name);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Reskill");
    if (report->viewer_name != NULL)
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, report->viewer_name);
  }
  draw_document (report, needs, org_name, surface, pages, &known, &found);
  cairo_surface_finish (surface);
  ok = check_surface (surface, error);
  cairo_surface_destroy (surface);
  if (!ok)
    return NULL;
  if (n_pages != NULL)
    *n_pages = pages;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

gboolean
rs_team_report_write_pdf (const RsTeamReport *report, const char *org_name, const char *path, GError **error)
{
  return rs_team_report_write_pdf_full (report, NULL, org_name, path, error);
}

gboolean
rs_team_report_write_pdf_full (const RsTeamReport *report, const RsTrainingNeeds *needs, const char *org_name,
                               const char *path, GError **error)
{
  g_autoptr (GBytes) pdf = rs_team_report_render_pdf_full (report, needs, org_name, NULL, error);
  g_autoptr (GError) local_error = NULL;
  gsize size;
  const char *data;

  if (pdf == NULL)
    return FALSE;
  data = g_bytes_get_data (pdf, &size);
  if (!g_file_set_contents_full (path, data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &local_error))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("Cannot write the PDF file: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}
