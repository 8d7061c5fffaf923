/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-application.h"
#include "cm-session.h"

G_BEGIN_DECLS

/* A window shows one dataset at a time: an empty page until a file is
 * opened, then the views of its session. A file that fails to load shows
 * its problems and leaves the loaded dataset in place. */

#define CM_TYPE_WINDOW (cm_window_get_type ())
G_DECLARE_FINAL_TYPE (CmWindow, cm_window, CM, WINDOW, AdwApplicationWindow)

CmWindow   *cm_window_new             (CmApplication *application);
CmSession  *cm_window_get_session     (CmWindow      *self);
/* Loads @file in a worker thread; on success it becomes the session's
 * dataset, on failure the window lists the problems. */
void        cm_window_open            (CmWindow      *self,
                                       GFile         *file);
/* Asks the user for a file to open. */
void        cm_window_choose_file     (CmWindow      *self);
/* TRUE while a file is loading. */
gboolean    cm_window_is_loading      (CmWindow      *self);
/* TRUE if the window shows nothing and loads nothing: a file opened from
 * outside may use it rather than a new window. */
gboolean    cm_window_is_empty        (CmWindow      *self);
/* TRUE while the window still works towards what it shows: a load, the
 * timeline's lanes, the map's colours and counts, the search index of
 * the dataset on show (each in a worker thread), then giving back the
 * memory they freed. FALSE: everything is built. */
gboolean    cm_window_is_busy         (CmWindow      *self);
/* "empty", "loading", "error" or "dataset". */
const char *cm_window_get_page        (CmWindow      *self);

G_END_DECLS
