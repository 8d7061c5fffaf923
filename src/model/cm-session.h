/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cm-dataset.h"
#include "cm-filter.h"

G_BEGIN_DECLS

/* One window's state: the dataset and what is selected. Views watch the
 * session and never call each other: selecting an event anywhere selects
 * it everywhere. */

typedef enum
{
  CM_SELECTION_NONE,
  CM_SELECTION_EVENT,
  CM_SELECTION_ACTOR,
  CM_SELECTION_PLACE,
} CmSelectionKind;

#define CM_TYPE_SESSION (cm_session_get_type ())
G_DECLARE_FINAL_TYPE (CmSession, cm_session, CM, SESSION, GObject)

CmSession       *cm_session_new                 (void);

CmDataset       *cm_session_get_dataset         (CmSession       *self);
/* Replaces the dataset and clears the selection. */
void             cm_session_set_dataset         (CmSession       *self,
                                                 CmDataset       *dataset);

/* Emits ::selection-changed when the selection really changes. */
void             cm_session_select              (CmSession       *self,
                                                 CmSelectionKind  kind,
                                                 guint            index);
CmSelectionKind  cm_session_get_selection_kind  (CmSession       *self);
guint            cm_session_get_selection_index (CmSession       *self);
/* The selected event index, or CM_NONE when no event is selected. */
guint            cm_session_get_selected_event  (CmSession       *self);

/* Selection history, like a browser's: select() pushes, back/forward walk
 * it. Properties "can-go-back" and "can-go-forward" follow. */
gboolean         cm_session_go_back             (CmSession       *self);
gboolean         cm_session_go_forward          (CmSession       *self);
gboolean         cm_session_can_go_back         (CmSession       *self);
gboolean         cm_session_can_go_forward      (CmSession       *self);

/* Filters and search. Each change emits ::filter-changed once; the
 * filter is NULL while there is no dataset. Read it, change it only
 * through these functions. */
CmFilter        *cm_session_get_filter          (CmSession       *self);
void             cm_session_set_filter_value    (CmSession       *self,
                                                 CmFacet          facet,
                                                 guint            index,
                                                 gboolean         chosen);
void             cm_session_set_filter_range    (CmSession       *self,
                                                 gint64           from,
                                                 gint64           to);
void             cm_session_set_search          (CmSession       *self,
                                                 const char      *query);
void             cm_session_clear_filter        (CmSession       *self);
/* TRUE when @event passes the filter and search. */
gboolean         cm_session_is_event_visible    (CmSession       *self,
                                                 guint            event);
guint            cm_session_get_n_visible       (CmSession       *self);

G_END_DECLS
