/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL half of the server module (reskill-pg.so): the SQL-callable
 * functions of reskill.push_unit, reskill.add_bank, reskill.kiosk_fingerprint
 * and reskill.module_version, and the SPI helpers of rs-pg-spi.h. Nothing
 * here decides anything: it moves bytes between PostgreSQL and the GLib
 * half (rs-pg-module.c), which runs the core's own checks, and turns the
 * answer into a row or an error.
 *
 * Why a C module and not PL/Python: the checks a bundle import makes are
 * the core's C code (signature, content rules, recomputation of every θ
 * and SE with the bank the attempt was scored with, the merge rule). A
 * module built from that code applies exactly the same rules; PL/Python
 * would be a second implementation of the IRT engine and the scoring of
 * every item type, which would drift. See docs/DEPLOYMENT.md. */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "rs-pg-module.h"
#include "rs-pg-spi.h"

PG_MODULE_MAGIC;

/* The context of the SQL function being called: a PostgreSQL error caught
 * under the GLib half is copied here (SPI's own context ends at
 * SPI_finish), to be thrown again at the top. */
static MemoryContext call_context;
static ErrorData *pending_error;

bool
rs_spi_exec (const char *sql, int n_args, const char *const *args, size_t *n_rows, char **message)
{
  volatile bool ok = true;
  MemoryContext before = CurrentMemoryContext;

  *n_rows = 0;
  PG_TRY ();
  {
    Oid *types = palloc0 (sizeof (Oid) * (n_args > 0 ? n_args : 1));
    Datum *values = palloc0 (sizeof (Datum) * (n_args > 0 ? n_args : 1));
    char *nulls = palloc0 (n_args + 1);
    int rc;

    for (int i = 0; i < n_args; i++)
      {
        types[i] = TEXTOID;
        values[i] = args[i] != NULL ? CStringGetTextDatum (args[i]) : (Datum) 0;
        nulls[i] = args[i] != NULL ? ' ' : 'n';
      }
    rc = SPI_execute_with_args (sql, n_args, types, values, nulls, false, 0);
    if (rc < 0)
      {
        ok = false;
        *message = rs_pg_strdup_printf ("the server's own query failed (%s)", SPI_result_code_string (rc));
      }
    else
      *n_rows = (size_t) SPI_processed;
  }
  PG_CATCH ();
  {
    MemoryContextSwitchTo (call_context);
    pending_error = CopyErrorData ();
    FlushErrorState ();
    MemoryContextSwitchTo (before);
    ok = false;
    *message = rs_pg_strdup_printf ("%s", pending_error->message);
  }
  PG_END_TRY ();
  return ok;
}

const char *
rs_spi_value (size_t row, int column)
{
  if (SPI_tuptable == NULL || row >= SPI_processed || column >= SPI_tuptable->tupdesc->natts)
    return NULL;
  return SPI_getvalue (SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column + 1);
}

/* After the GLib half returned false: the caught PostgreSQL error again
 * (its SQLSTATE kept, so that a serialization failure stays one), or the
 * refusal with its own SQLSTATE. Frees message first: ereport does not
 * return. */
static void
throw_refusal (char *message, const char *state) pg_attribute_noreturn ();

static void
throw_refusal (char *message, const char *state)
{
  char *copy = pstrdup (message != NULL ? message : "the server module failed");

  rs_pg_free (message);
  if (pending_error != NULL)
    {
      ErrorData *error = pending_error;

      pending_error = NULL;
      ReThrowError (error);
    }
  if (state == NULL || strlen (state) != 5)
    state = RS_PG_STATE_INVALID;
  ereport (ERROR, (errcode (MAKE_SQLSTATE (state[0], state[1], state[2], state[3], state[4])),
                   errmsg ("%s", copy)));
}

static void
begin_call (FunctionCallInfo fcinfo)
{
  call_context = CurrentMemoryContext;
  pending_error = NULL;
  if (SPI_connect () != SPI_OK_CONNECT)
    ereport (ERROR, (errmsg ("reskill: cannot connect to SPI")));
}

PG_FUNCTION_INFO_V1 (reskill_module_version);
Datum
reskill_module_version (PG_FUNCTION_ARGS)
{
  PG_RETURN_INT32 (RS_PG_MODULE_VERSION);
}

PG_FUNCTION_INFO_V1 (reskill_kiosk_fingerprint);
Datum
reskill_kiosk_fingerprint (PG_FUNCTION_ARGS)
{
  bytea *key = PG_GETARG_BYTEA_PP (0);
  char *fingerprint = rs_pg_fingerprint (VARDATA_ANY (key), VARSIZE_ANY_EXHDR (key));
  text *out;

  if (fingerprint == NULL)
    ereport (ERROR, (errcode (MAKE_SQLSTATE ('R', 'S', '4', '2', '2')),
                     errmsg ("a kiosk's public key is 32 bytes, not %d", (int) VARSIZE_ANY_EXHDR (key))));
  out = cstring_to_text (fingerprint);
  rs_pg_free (fingerprint);
  PG_RETURN_TEXT_P (out);
}

PG_FUNCTION_INFO_V1 (reskill_push_unit);
Datum
reskill_push_unit (PG_FUNCTION_ARGS)
{
  /* Not STRICT: a NULL signature must be refused, not answered with NULL. */
  bytea *empty = (bytea *) palloc (VARHDRSZ);
  bytea *body, *signer, *signature;
  char *outcome = NULL, *detail = NULL, *message = NULL;
  const char *state = NULL;
  TupleDesc descriptor;
  Datum values[2];
  bool nulls[2] = { false, false };
  HeapTuple tuple;

  SET_VARSIZE (empty, VARHDRSZ);
  body = PG_ARGISNULL (0) ? empty : PG_GETARG_BYTEA_PP (0);
  signer = PG_ARGISNULL (1) ? empty : PG_GETARG_BYTEA_PP (1);
  signature = PG_ARGISNULL (2) ? empty : PG_GETARG_BYTEA_PP (2);
  if (get_call_result_type (fcinfo, NULL, &descriptor) != TYPEFUNC_COMPOSITE)
    ereport (ERROR, (errmsg ("reskill.push_unit must return (outcome, detail)")));
  descriptor = BlessTupleDesc (descriptor);
  begin_call (fcinfo);
  if (!rs_pg_push_unit (VARDATA_ANY (body), VARSIZE_ANY_EXHDR (body), VARDATA_ANY (signer),
                        VARSIZE_ANY_EXHDR (signer), VARDATA_ANY (signature), VARSIZE_ANY_EXHDR (signature), &outcome,
                        &detail, &message, &state))
    throw_refusal (message, state);
  SPI_finish ();
  values[0] = CStringGetTextDatum (outcome);
  if (detail != NULL)
    values[1] = CStringGetTextDatum (detail);
  else
    nulls[1] = true;
  rs_pg_free (outcome);
  rs_pg_free (detail);
  tuple = heap_form_tuple (descriptor, values, nulls);
  PG_RETURN_DATUM (HeapTupleGetDatum (tuple));
}

PG_FUNCTION_INFO_V1 (reskill_add_bank);
Datum
reskill_add_bank (PG_FUNCTION_ARGS)
{
  char *version = text_to_cstring (PG_GETARG_TEXT_PP (0));
  ArrayType *paths_array = PG_GETARG_ARRAYTYPE_P (1);
  ArrayType *contents_array = PG_GETARG_ARRAYTYPE_P (2);
  Datum *path_datums, *content_datums;
  bool *path_nulls, *content_nulls;
  int n_paths, n_contents, n_items = 0;
  const char **paths;
  const void **contents;
  size_t *lengths;
  char *message = NULL;
  const char *state = NULL;

  deconstruct_array (paths_array, TEXTOID, -1, false, TYPALIGN_INT, &path_datums, &path_nulls, &n_paths);
  deconstruct_array (contents_array, BYTEAOID, -1, false, TYPALIGN_INT, &content_datums, &content_nulls,
                     &n_contents);
  if (n_paths != n_contents || n_paths < 1)
    ereport (ERROR, (errcode (MAKE_SQLSTATE ('R', 'S', '4', '2', '2')),
                     errmsg ("a bank is one or more files, each with its path: %d paths, %d contents", n_paths,
                             n_contents)));
  paths = palloc (sizeof (char *) * n_paths);
  contents = palloc (sizeof (void *) * n_paths);
  lengths = palloc (sizeof (size_t) * n_paths);
  for (int i = 0; i < n_paths; i++)
    {
      bytea *content;

      if (path_nulls[i] || content_nulls[i])
        ereport (ERROR, (errcode (MAKE_SQLSTATE ('R', 'S', '4', '2', '2')), errmsg ("a bank file without a path "
                                                                                   "or content")));
      content = DatumGetByteaPP (content_datums[i]);
      paths[i] = TextDatumGetCString (path_datums[i]);
      contents[i] = VARDATA_ANY (content);
      lengths[i] = VARSIZE_ANY_EXHDR (content);
    }
  begin_call (fcinfo);
  if (!rs_pg_add_bank (version, n_paths, paths, contents, lengths, &n_items, &message, &state))
    throw_refusal (message, state);
  SPI_finish ();
  PG_RETURN_INT32 (n_items);
}
