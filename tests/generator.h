/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A valid Chronomap JSON document (version 1) of the given size, the same
 * bytes for the same arguments on every machine: the workload of the
 * benchmarks and of large-data tests. Events have ~40-character titles,
 * ~120-character summaries, 1-3 actors, 1-2 places, 0-3 tags from a pool,
 * sometimes a quote and sources; dates span 1995-2024 with a mix of
 * precisions (year to second, with and without offsets) and ~15% have an
 * end. Places are spread over the inhabited latitudes, most with a real
 * IANA time zone. Ids are "g0", "a0", "p0", "e0", ... One item per line.
 * n_actors, n_places and n_groups must be at least 1. Free with g_free(). */
char *cm_generator_json (guint    n_events,
                         guint    n_actors,
                         guint    n_places,
                         guint    n_groups,
                         guint32  seed,
                         gsize   *length);

/* The same document streamed into the file at @path, a megabyte at a
 * time, so that ten million events take no more memory than a thousand.
 * @lean leaves out each event's summary, quotes and sources, as a
 * conversion of a large event database would (about 150 bytes an event
 * instead of 420, so that 10 million events stay under the loader's
 * 2 GiB). Not lean, the bytes are cm_generator_json()'s. */
gboolean cm_generator_write_file (const char *path,
                                  guint       n_events,
                                  guint       n_actors,
                                  guint       n_places,
                                  guint       n_groups,
                                  guint32     seed,
                                  gboolean    lean,
                                  gsize      *length,
                                  GError    **error);

G_END_DECLS
