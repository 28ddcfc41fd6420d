/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "rs-error.h"
#include "rs-roles.h"
#include "rs-yaml.h"

#define RS_ROLES_MAX_FILE_SIZE (256 * 1024)

struct _RsRoleSet {
  GPtrArray *roles;   /* RsRole * */
};

static void
role_free (gpointer data)
{
  RsRole *role = data;
  g_free (role->id);
  g_free (role->name);
  g_free (role->summary);
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_strfreev (role->focus[s]);
  g_free (role);
}

void
rs_role_set_free (RsRoleSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->roles);
  g_free (set);
}

static gboolean G_GNUC_PRINTF (4, 5)
fail (GError **error, const char *path, const yaml_node_t *node, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: %s", path, rs_yaml_line (node), message);
  return FALSE;
}

static gboolean
parse_role (RsYamlDoc *doc, const char *path, yaml_node_t *node, RsRole *role, GError **error)
{
  static const char *const fields[] = { "id", "name", "summary", "wants", "focus", NULL };
  yaml_node_t *wants, *focus;

  if (!rs_yaml_is_mapping (node))
    return fail (error, path, node, _("a role must be a mapping with id, name, summary and wants"));
  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = rs_yaml_node (doc, pair->key);
      if (rs_yaml_scalar (key) == NULL || !g_strv_contains (fields, rs_yaml_scalar (key)))
        return fail (error, path, key, _("unknown field '%s' in a role"),
                     rs_yaml_scalar (key) ? rs_yaml_scalar (key) : "?");
    }
  for (int f = 0; f < 3; f++)
    {
      const char *text = rs_yaml_scalar (rs_yaml_mapping_get (doc, node, fields[f]));
      if (text == NULL || *text == '\0')
        return fail (error, path, node, _("role needs '%s'"), fields[f]);
    }
  role->id = g_strdup (rs_yaml_scalar (rs_yaml_mapping_get (doc, node, "id")));
  role->name = g_strdup (rs_yaml_scalar (rs_yaml_mapping_get (doc, node, "name")));
  role->summary = g_strdup (rs_yaml_scalar (rs_yaml_mapping_get (doc, node, "summary")));
  for (int s = 0; s < RS_N_SKILLS; s++)
    role->wanted[s] = RS_LEVEL_INVALID;

  wants = rs_yaml_mapping_get (doc, node, "wants");
  if (!rs_yaml_is_mapping (wants) || wants->data.mapping.pairs.top == wants->data.mapping.pairs.start)
    return fail (error, path, wants ? wants : node, _("role %s: 'wants' must map skills to {level, weight}"), role->id);
  for (yaml_node_pair_t *pair = wants->data.mapping.pairs.start; pair < wants->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = rs_yaml_node (doc, pair->key);
      yaml_node_t *value = rs_yaml_node (doc, pair->value);
      RsSkill skill = rs_skill_from_id (rs_yaml_scalar (key));
      RsLevel level;
      double weight;

      if (skill == RS_SKILL_INVALID)
        return fail (error, path, key, _("role %s: unknown skill '%s'"), role->id,
                     rs_yaml_scalar (key) ? rs_yaml_scalar (key) : "?");
      if (role->wanted[skill] != RS_LEVEL_INVALID)
        return fail (error, path, key, _("role %s: skill '%s' appears twice"), role->id, rs_skill_id (skill));
      level = rs_level_from_name (rs_yaml_scalar (rs_yaml_mapping_get (doc, value, "level")));
      if (level == RS_LEVEL_INVALID)
        return fail (error, path, value, _("role %s: %s needs a level (Novice, Developing, Proficient, "
                     "Advanced or Expert)"), role->id, rs_skill_id (skill));
      if (!rs_yaml_double (rs_yaml_mapping_get (doc, value, "weight"), &weight) || !(weight > 0))
        return fail (error, path, value, _("role %s: %s needs a positive weight"), role->id, rs_skill_id (skill));
      role->wanted[skill] = level;
      role->weight[skill] = weight;
    }

  /* focus: [statistics/evaluation-statistics, ml/rag]: subtopics of wanted skills. */
  focus = rs_yaml_mapping_get (doc, node, "focus");
  if (focus != NULL)
    {
      GStrvBuilder *builders[RS_N_SKILLS];

      if (!rs_yaml_is_sequence (focus) || rs_yaml_sequence_length (focus) == 0)
        return fail (error, path, focus, _("role %s: 'focus' must list skill/subtopic names"), role->id);
      role->focus_line = rs_yaml_line (focus);
      for (int s = 0; s < RS_N_SKILLS; s++)
        builders[s] = g_strv_builder_new ();
      for (int i = 0; i < rs_yaml_sequence_length (focus); i++)
        {
          yaml_node_t *entry = rs_yaml_sequence_item (doc, focus, i);
          const char *name = rs_yaml_scalar (entry);
          const char *slash = name ? strchr (name, '/') : NULL;
          g_autofree char *skill_id = slash ? g_strndup (name, slash - name) : NULL;
          RsSkill skill = rs_skill_from_id (skill_id);
          gboolean ok = TRUE;

          if (slash == NULL || slash[1] == '\0' || skill == RS_SKILL_INVALID)
            ok = fail (error, path, entry, _("role %s: focus '%s' must be skill/subtopic, e.g. ml/rag"),
                       role->id, name ? name : "?");
          else if (role->wanted[skill] == RS_LEVEL_INVALID)
            ok = fail (error, path, entry, _("role %s: focus '%s' is in a skill the role does not want"),
                       role->id, name);
          if (!ok)
            {
              for (int s = 0; s < RS_N_SKILLS; s++)
                g_strv_builder_unref (builders[s]);
              return FALSE;
            }
          g_strv_builder_add (builders[skill], slash + 1);
        }
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          role->focus[s] = g_strv_builder_end (builders[s]);
          g_strv_builder_unref (builders[s]);
          if (role->focus[s][0] == NULL)
            g_clear_pointer (&role->focus[s], g_strfreev);
        }
    }
  return TRUE;
}

GPtrArray *
rs_role_set_check_bank (const RsRoleSet *set, const char *path, const RsBank *bank)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);

  for (guint i = 0; i < set->roles->len; i++)
    {
      const RsRole *role = g_ptr_array_index (set->roles, i);
      for (int s = 0; s < RS_N_SKILLS; s++)
        for (int f = 0; role->focus[s] != NULL && role->focus[s][f] != NULL; f++)
          {
            const GPtrArray *items = rs_bank_skill_items (bank, (RsSkill) s);
            gboolean found = FALSE;
            for (guint k = 0; k < items->len && !found; k++)
              found = g_strcmp0 (((const RsItem *) g_ptr_array_index (items, k))->subtopic,
                                 role->focus[s][f]) == 0;
            if (!found)
              g_ptr_array_add (out, rs_diagnostic_new (path, role->focus_line,
                  _("role %s: focus %s/%s is not a subtopic of the bank"), role->id,
                  rs_skill_id ((RsSkill) s), role->focus[s][f]));
          }
    }
  return out;
}

RsRoleSet *
rs_role_set_load (const char *path, GError **error)
{
  g_autoptr (RsRoleSet) set = g_new0 (RsRoleSet, 1);
  g_autofree char *message = NULL;
  RsYamlDoc doc;
  yaml_node_t *roles;
  gboolean ok = TRUE;
  int line;

  set->roles = g_ptr_array_new_with_free_func (role_free);
  if (!rs_yaml_doc_load (&doc, path, RS_ROLES_MAX_FILE_SIZE, &line, &message))
    {
      if (line > 0)
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: %s", path, line, message);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: %s", path, message);
      return NULL;
    }
  roles = rs_yaml_mapping_get (&doc, rs_yaml_root (&doc), "roles");
  if (!rs_yaml_is_sequence (roles) || rs_yaml_sequence_length (roles) == 0)
    ok = fail (error, path, roles ? roles : rs_yaml_root (&doc), _("expected 'roles:' with a list of roles"));
  for (int i = 0; ok && i < rs_yaml_sequence_length (roles); i++)
    {
      yaml_node_t *node = rs_yaml_sequence_item (&doc, roles, i);
      RsRole *role = g_new0 (RsRole, 1);

      g_ptr_array_add (set->roles, role);
      ok = parse_role (&doc, path, node, role, error);
      if (ok && rs_role_set_lookup (set, role->id) != role)
        ok = fail (error, path, node, _("duplicate role id '%s'"), role->id);
    }
  rs_yaml_doc_clear (&doc);
  return ok ? g_steal_pointer (&set) : NULL;
}

guint
rs_role_set_n_roles (const RsRoleSet *set)
{
  return set->roles->len;
}

const RsRole *
rs_role_set_role (const RsRoleSet *set, guint index)
{
  g_return_val_if_fail (index < set->roles->len, NULL);
  return g_ptr_array_index (set->roles, index);
}

const RsRole *
rs_role_set_lookup (const RsRoleSet *set, const char *id)
{
  for (guint i = 0; i < set->roles->len; i++)
    {
      const RsRole *role = g_ptr_array_index (set->roles, i);
      if (g_strcmp0 (role->id, id) == 0)
        return role;
    }
  return NULL;
}

/* Standard normal CDF. */
static double
phi (double z)
{
  return 0.5 * erfc (-z / M_SQRT2);
}

static void
fit_role (const RsRole *role, const RsSkillEstimate est[RS_N_SKILLS], RsRoleFit *fit)
{
  double weights = 0.0, sum = 0.0;

  *fit = (RsRoleFit) { .role = role, .met = TRUE };
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      double theta = est[s].measured ? est[s].theta : 0.0;
      double se = est[s].measured ? MAX (est[s].se, 1e-3) : 1.0;
      double cut;

      if (role->wanted[s] == RS_LEVEL_INVALID)
        continue;
      cut = rs_level_lower_cut (role->wanted[s]);
      fit->p_reach[s] = isfinite (cut) ? phi ((theta - cut) / se) : 1.0;
      sum += role->weight[s] * fit->p_reach[s];
      weights += role->weight[s];
      if (!est[s].measured || (isfinite (cut) && theta < cut))
        fit->met = FALSE;
      if (isfinite (cut) && theta < cut)
        fit->gap += cut - theta;
      if (!est[s].measured)
        fit->gap += 1.0;   /* an unmeasured skill is a step of its own */
    }
  fit->fit = weights > 0 ? sum / weights : 0.0;
}

static gint
compare_fits (gconstpointer a, gconstpointer b)
{
  const RsRoleFit *fa = a, *fb = b;
  if (fa->met != fb->met)
    return fa->met ? -1 : 1;
  if (fa->fit != fb->fit)
    return fa->fit > fb->fit ? -1 : 1;
  return g_strcmp0 (fa->role->id, fb->role->id);
}

RsAdvice *
rs_advise (const RsRoleSet *set, const RsSkillEstimate estimates[RS_N_SKILLS])
{
  RsAdvice *advice = g_new0 (RsAdvice, 1);
  const RsRoleFit *next = NULL;

  advice->fits = g_array_sized_new (FALSE, TRUE, sizeof (RsRoleFit), set->roles->len);
  advice->next_steps = g_array_new (FALSE, TRUE, sizeof (RsStep));
  for (guint i = 0; i < set->roles->len; i++)
    {
      RsRoleFit fit;
      fit_role (g_ptr_array_index (set->roles, i), estimates, &fit);
      g_array_append_val (advice->fits, fit);
    }
  g_array_sort (advice->fits, compare_fits);

  /* The next role: the unmet one that needs the least raising, ties to the
   * better fit (the array is already ordered by fit). */
  for (guint i = 0; i < advice->fits->len; i++)
    {
      const RsRoleFit *fit = &g_array_index (advice->fits, RsRoleFit, i);
      if (!fit->met && (next == NULL || fit->gap < next->gap - 1e-9))
        next = fit;
    }
  if (next != NULL)
    {
      advice->next_role = next->role;
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          RsLevel wanted = next->role->wanted[s];
          RsStep step = { .skill = (RsSkill) s, .to = wanted,
                          .focus = (const char *const *) next->role->focus[s] };

          if (wanted == RS_LEVEL_INVALID)
            continue;
          if (!estimates[s].measured)
            step.from = RS_LEVEL_INVALID;
          else if (estimates[s].theta < rs_level_lower_cut (wanted))
            step.from = rs_level_for_theta (estimates[s].theta);
          else
            continue;
          g_array_append_val (advice->next_steps, step);
        }
    }
  return advice;
}

void
rs_advice_free (RsAdvice *advice)
{
  if (advice == NULL)
    return;
  g_array_unref (advice->fits);
  g_array_unref (advice->next_steps);
  g_free (advice);
}

GPtrArray *
rs_role_fit_reasons (const RsRoleFit *fit, const RsSkillEstimate estimates[RS_N_SKILLS])
{
  GPtrArray *reasons = g_ptr_array_new_with_free_func (g_free);
  int order[RS_N_SKILLS], n = 0;

  for (int s = 0; s < RS_N_SKILLS; s++)
    if (fit->role->wanted[s] != RS_LEVEL_INVALID)
      order[n++] = s;
  /* Heaviest weight first: what matters most to the role is said first. */
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && fit->role->weight[order[j]] > fit->role->weight[order[j - 1]]; j--)
      {
        int t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (int i = 0; i < n; i++)
    {
      int s = order[i];
      const char *wanted = rs_level_name (fit->role->wanted[s]);
      int percent = (int) lround (100.0 * fit->p_reach[s]);

      if (!estimates[s].measured)
        g_ptr_array_add (reasons, g_strdup_printf (_("%s: not measured yet (wanted %s)"),
                                                   rs_skill_title (s), wanted));
      else
        {
          RsSkillScore score;
          g_autofree char *level = NULL;

          rs_skill_score_init (&score, estimates[s].theta, estimates[s].se);
          level = rs_skill_score_describe (&score);
          g_ptr_array_add (reasons,
                           /* Translators: a skill, the person's level, the level the role
                            * wants, and how likely the person has reached it, for example
                            * "Python: Proficient, wanted Advanced (30% likely reached)". */
                           g_strdup_printf (_("%s: %s, wanted %s (%d%% likely reached)"),
                                            rs_skill_title (s), level, wanted, percent));
        }
    }
  return reasons;
}

char *
rs_step_describe (const RsStep *step)
{
  if (step->from == RS_LEVEL_INVALID)
    return g_strdup_printf (_("take the %s assessment (wanted %s)"), rs_skill_title (step->skill),
                            rs_level_name (step->to));
  /* Translators: a skill and two levels, for example "raise Statistics from
   * Developing to Proficient". */
  return g_strdup_printf (_("raise %s from %s to %s"), rs_skill_title (step->skill),
                          rs_level_name (step->from), rs_level_name (step->to));
}

char *
rs_step_describe_focus (const RsStep *step, const RsBank *bank)
{
  g_autoptr (GString) text = NULL;
  int n = 0;

  if (step->focus == NULL || step->focus[0] == NULL)
    return NULL;
  while (step->focus[n] != NULL)
    n++;
  text = g_string_new (NULL);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *title = rs_bank_subtopic_title (bank, step->skill, step->focus[i]);
      /* Translators: between the subtopics of a list ("NumPy and pandas,
       * Testing and Async"), and before its last one. */
      if (i > 0)
        g_string_append (text, i == n - 1 ? _(" and ") : _(", "));
      g_string_append (text, title);
    }
  /* Translators: the subtopics a raise rests on, for example "above all
   * NumPy and pandas and Testing". */
  return g_strdup_printf (_("above all %s"), text->str);
}
