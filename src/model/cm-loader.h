/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-dataset.h"
#include "cm-json-reader.h"

G_BEGIN_DECLS

#define CM_LOADER_ERROR (cm_loader_error_quark ())

typedef enum
{
  /* The file is not a valid dataset. The message holds every problem, one
   * per line, as "FILE:LINE:COLUMN: PATH: message" (at most
   * CM_LOADER_MAX_PROBLEMS lines, then "… and N more problems"). */
  CM_LOADER_ERROR_INVALID,
  /* (LINE and COLUMN are 1-based; COLUMN counts Unicode characters, not
   * bytes. PATH is left out, with its ": ", for the top-level value. The
   * lines are in file order.) */
  /* The file is in no format Chronomap reads. */
  CM_LOADER_ERROR_UNKNOWN_FORMAT,
} CmLoaderError;

#define CM_LOADER_MAX_PROBLEMS 100

/* The largest input read, checked before memory is spent (the file's size)
 * and while reading (a file that grows): 2 GiB. The README says so. */
#define CM_LOADER_MAX_FILE_SIZE (G_GUINT64_CONSTANT (2) << 30)

GQuark     cm_loader_error_quark        (void);

/* Reads and validates a dataset. @display_name names the input in problem
 * lines (a file's basename or path). I/O errors are G_IO_ERROR. */
CmDataset *cm_loader_load_bytes         (GBytes              *bytes,
                                         const char          *display_name,
                                         GCancellable        *cancellable,
                                         GError             **error);
CmDataset *cm_loader_load_file          (GFile               *file,
                                         GCancellable        *cancellable,
                                         GError             **error);
/* The same, naming the file @display_name in problems (NULL: its basename),
 * e.g. the path as typed on the command line. */
CmDataset *cm_loader_load_file_with_name (GFile              *file,
                                          const char         *display_name,
                                          GCancellable       *cancellable,
                                          GError            **error);

/* The same, in a worker thread; the callback runs on the calling thread's
 * main context. */
void       cm_loader_load_file_async    (GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
CmDataset *cm_loader_load_file_finish   (GAsyncResult        *result,
                                         GError             **error);

/* How far an asynchronous load has gone, for a progress bar: written by
 * the worker, read by the main thread at any time (atomically, without a
 * lock or a signal). */
typedef enum
{
  CM_LOADER_PHASE_WAITING,   /* not started yet */
  CM_LOADER_PHASE_READING,   /* reading the file: fraction of its bytes */
  CM_LOADER_PHASE_PARSING,   /* checking the JSON syntax: no fraction */
  CM_LOADER_PHASE_BUILDING,  /* reading the events: fraction of them */
  CM_LOADER_PHASE_INDEXING,  /* sorting and indexing: no fraction */
} CmLoaderPhase;

typedef struct _CmLoaderProgress CmLoaderProgress;

CmLoaderProgress *cm_loader_progress_new   (void);
CmLoaderProgress *cm_loader_progress_ref   (CmLoaderProgress *progress);
void              cm_loader_progress_unref (CmLoaderProgress *progress);
/* The phase, and in *fraction how much of it is done (0 to 1), or -1
 * when the phase cannot tell. */
CmLoaderPhase     cm_loader_progress_get   (CmLoaderProgress *progress,
                                            double           *fraction);
/* cm_loader_load_file_async() reporting into @progress. */
void       cm_loader_load_file_async_with_progress (GFile               *file,
                                                    CmLoaderProgress    *progress,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLoaderProgress, cm_loader_progress_unref)


/* Importers of foreign formats read the same located JSON tree and report
 * problems the same way. An importer is one line in the importers[] table
 * of cm-loader.c: the loader asks each detect() in turn about a document
 * that has no "chronomap" key, and the first that says yes fills the
 * builder. A document with problems is rejected as a whole, like a native
 * one. */

/* Where a value is: a chain of keys and indexes, on the stack. A NULL path
 * is the top level. */
typedef struct _CmLoaderPath CmLoaderPath;
struct _CmLoaderPath
{
  const CmLoaderPath *parent;
  const char         *key;     /* NULL: an array element at @index */
  guint               index;
};

typedef struct _CmLoaderContext CmLoaderContext;

/* A JSON importer has detect() and import(); a text importer (CSV) has
 * detect_text() and import_text() instead, and is asked first, about the
 * raw bytes, before any JSON parsing. @name is what the user is told
 * ("Imported from TimelineJS"); the dataset keeps it as its format. */
typedef struct
{
  const char *name;
  gboolean  (*detect)      (const CmJsonNode *root);
  void      (*import)      (CmLoaderContext  *context,
                            const CmJsonNode *root,
                            CmDatasetBuilder *builder);
  gboolean  (*detect_text) (const char       *data,
                            gsize             length);
  void      (*import_text) (CmLoaderContext  *context,
                            const char       *data,
                            gsize             length,
                            CmDatasetBuilder *builder);
} CmLoaderImporter;

/* Records a problem at the value @at (its line and column are found when
 * the report is written), e.g. "events[3].start: ...". */
void        cm_loader_context_add_problem   (CmLoaderContext    *context,
                                             const CmJsonNode   *at,
                                             const CmLoaderPath *path,
                                             const char         *format,
                                             ...) G_GNUC_PRINTF (4, 5);
/* The same at a byte offset of the input, with the path already written
 * (e.g. "row 4, Year" for a CSV cell; NULL or "" for none). */
void        cm_loader_context_add_problem_at (CmLoaderContext   *context,
                                              gsize              offset,
                                              const char        *path,
                                              const char        *format,
                                              ...) G_GNUC_PRINTF (4, 5);
guint       cm_loader_context_get_n_problems (CmLoaderContext   *context);
/* FALSE if a problem at @at would only be counted (enough problems come
 * before it): a costly message need not be written. */
gboolean    cm_loader_context_wants_problem  (CmLoaderContext   *context,
                                              const CmJsonNode  *at);
/* TRUE (and the load stops) if the load was cancelled; call it every
 * thousand items or so. */
gboolean    cm_loader_context_is_cancelled  (CmLoaderContext    *context);
/* Line and column (1-based, columns in characters) of a byte offset of
 * the input, e.g. for "(first at line 12)". */
void        cm_loader_context_locate        (CmLoaderContext    *context,
                                             gsize               offset,
                                             guint              *line,
                                             guint              *column);
/* User text for a message: in double quotes, escaped, cut after 60
 * characters. */
char       *cm_loader_quote                 (const char         *text);
/* "events[3].start" (free with g_free), "" for the top level. */
char       *cm_loader_path_to_string        (const CmLoaderPath *path);

G_END_DECLS
