/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <time.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* Each capability adds one bench_* function in its own bench-*.c file and
 * one line in bench.c. Figures are printed as "bench: NAME: VALUE UNIT". */

void    bench_report        (const char *name,
                             double      value,
                             const char *unit);
/* Median and 95th percentile of @n samples (sorted in place). */
double  bench_median        (double     *samples,
                             guint       n);
double  bench_p95           (double     *samples,
                             guint       n);
double  bench_now_ms        (void);
/* CPU time of the process or of the calling thread (CLOCK_*_CPUTIME_ID). */
double  bench_cpu_ms        (clockid_t   clock);
/* Runs the main loop, woken every millisecond, until *done; returns the
 * longest the main thread went between two iterations: how long work in
 * a worker thread blocked it. */
double  bench_main_loop_max_gap (const gboolean *done);

void    bench_load          (void);
void    bench_filter        (void);
/* The Filters popover's first opening (sample, 100k). */
void    bench_filter_panel  (void);
void    bench_export        (void);
void    bench_map           (void);
void    bench_timeline      (void);
void    bench_import        (void);
void    bench_hostile       (void);
/* 1M and 10M events: opt-in, `build-aux/dev bench --large`. */
void    bench_large         (void);
void    bench_large_10m     (void);

/* The figures of one capability on a given dataset, named NAME-@size. */
void    bench_filter_dataset   (CmDataset  *dataset,
                                const char *size);
/* Opens the Filters popover of @button (a CmFilterPanel in it) for the
 * first time, with its window idle before; returns the longest main-loop
 * iteration (main-thread CPU ms) until it is drawn with its counts. */
double  bench_filter_popover_open (GtkMenuButton *button,
                                   const char    *size);
/* The map's colour statistics (cm-map-stats.h), unfiltered and for one
 * group, made in a worker in the window. */
void    bench_map_dataset      (CmDataset  *dataset,
                                const char *size);
/* Returns the fitted frame's median. */
double  bench_timeline_dataset (CmDataset  *dataset,
                                const char *size,
                                gboolean    with_gtk);

G_END_DECLS
