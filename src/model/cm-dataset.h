/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-time.h"

G_BEGIN_DECLS

/* A dataset is immutable once built. Hot data is plain C: one array of
 * structs per kind, strings kept in one GStringChunk, references as
 * indexes into the other arrays. Pointers returned stay valid for the
 * dataset's lifetime. */

#define CM_NONE G_MAXUINT32

typedef struct
{
  const char *title;       /* may be NULL */
  const char *url;         /* may be NULL for a source known by title only */
} CmLink;

typedef struct
{
  guint32     actor;       /* actor index, or CM_NONE */
  const char *text;
} CmQuote;

typedef struct
{
  const char *id;
  const char *name;
  guint32     color;       /* 0xRRGGBB */
  gboolean    has_color;   /* FALSE: views pick from a default palette */
} CmGroup;

typedef enum
{
  CM_ACTOR_PERSON,
  CM_ACTOR_GOVERNMENT,
  CM_ACTOR_ORGANISATION,
  CM_ACTOR_GROUP,
  CM_ACTOR_OTHER,
} CmActorKind;

typedef struct
{
  const char *id;
  const char *name;
  const char *role;        /* may be NULL */
  const char *description; /* may be NULL */
  guint32     group;       /* group index, or CM_NONE */
  guint8      kind;        /* CmActorKind */
  guint32     links;       /* first index in the dataset's link array */
  guint32     n_links;
} CmActor;

typedef struct
{
  const char *id;
  const char *name;
  const char *country;     /* may be NULL */
  const char *timezone;    /* IANA name, may be NULL */
  double      lat;
  double      lon;
} CmPlace;

typedef struct
{
  const char *id;          /* may be NULL */
  const char *title;
  const char *description; /* may be NULL */
  CmTime      start;
  CmTime      end;         /* has_end FALSE: open-ended, lasts to the dataset's end */
  gboolean    has_end;
} CmPeriod;

/* start <= end always. An event without "end" has end == start; its
 * extent on a timeline is [start.seconds, cm_time_get_end (&end)).
 *
 * An undated event (imported from a story whose slides have no clear
 * date) has no place in time: its start and end are zero and must never
 * be shown. It sorts after every dated event in the time order, in file
 * order, and takes no part in the time range; views that place events in
 * time skip it and lists show it as "Undated".
 *
 * An event's summary is not in the struct: summaries are most of a
 * dataset's text and are kept compressed (cm_dataset_dup_event_summary()). */
typedef struct
{
  const char *id;
  const char *title;
  CmTime      start;
  CmTime      end;
  guint32     refs;        /* first index in the dataset's ref array: places, actors, tags */
  guint16     n_places;
  guint16     n_actors;
  guint16     n_tags;
  guint16     n_quotes;
  guint16     n_sources;
  guint8      has_end;
  guint8      undated;     /* TRUE: no known date (start and end mean nothing) */
} CmEvent;

/* A key and value carried over from a foreign format (e.g. a GeoJSON
 * feature's properties), shown as they are. */
typedef struct
{
  const char *key;
  const char *value;
} CmProperty;

#define CM_TYPE_DATASET (cm_dataset_get_type ())
G_DECLARE_FINAL_TYPE (CmDataset, cm_dataset, CM, DATASET, GObject)

const char     *cm_dataset_get_title        (CmDataset   *self);
const char     *cm_dataset_get_description  (CmDataset   *self);
/* The file the dataset came from, or NULL. */
GFile          *cm_dataset_get_file         (CmDataset   *self);
void            cm_dataset_set_file         (CmDataset   *self,
                                             GFile       *file);
/* The foreign format the dataset was imported from ("TimelineJS",
 * "GeoJSON", ...), or NULL for Chronomap JSON. */
const char     *cm_dataset_get_format       (CmDataset   *self);

guint           cm_dataset_get_n_events     (CmDataset   *self);
guint           cm_dataset_get_n_actors     (CmDataset   *self);
guint           cm_dataset_get_n_places     (CmDataset   *self);
guint           cm_dataset_get_n_groups     (CmDataset   *self);
guint           cm_dataset_get_n_periods    (CmDataset   *self);
guint           cm_dataset_get_n_tags       (CmDataset   *self);

const CmEvent  *cm_dataset_get_event        (CmDataset   *self,
                                             guint        index);
const CmActor  *cm_dataset_get_actor        (CmDataset   *self,
                                             guint        index);
const CmPlace  *cm_dataset_get_place        (CmDataset   *self,
                                             guint        index);
const CmGroup  *cm_dataset_get_group        (CmDataset   *self,
                                             guint        index);
const CmPeriod *cm_dataset_get_period       (CmDataset   *self,
                                             guint        index);
const char     *cm_dataset_get_tag          (CmDataset   *self,
                                             guint        index);

/* Index arrays of an event; *n_out receives the length. */
const guint32  *cm_dataset_get_event_places (CmDataset      *self,
                                             const CmEvent  *event,
                                             guint          *n_out);
const guint32  *cm_dataset_get_event_actors (CmDataset      *self,
                                             const CmEvent  *event,
                                             guint          *n_out);
const guint32  *cm_dataset_get_event_tags   (CmDataset      *self,
                                             const CmEvent  *event,
                                             guint          *n_out);
/* An event's quotes and sources are copies, texts included (kept
 * compressed like summaries, see cm_dataset_dup_event_summary()): one
 * g_free() frees the array and its texts. NULL when there are none. */
CmQuote        *cm_dataset_dup_event_quotes (CmDataset      *self,
                                             const CmEvent  *event,
                                             guint          *n_out);
CmLink         *cm_dataset_dup_event_sources (CmDataset     *self,
                                              const CmEvent *event,
                                              guint         *n_out);
/* The event's summary, or NULL; g_free() it. Decompresses a block of
 * summaries (tens of microseconds) unless the calling thread's last call
 * read the same block: a pass over the events in index order is cheap. */
char           *cm_dataset_dup_event_summary (CmDataset     *self,
                                              const CmEvent *event);
/* Extra keys and values of an event, in file order (often none). */
const CmProperty *cm_dataset_get_event_properties (CmDataset     *self,
                                                   const CmEvent *event,
                                                   guint         *n_out);
const CmLink   *cm_dataset_get_actor_links  (CmDataset      *self,
                                             const CmActor  *actor,
                                             guint          *n_out);

/* The group an event is drawn in: the group of its first actor that has
 * one, or CM_NONE. */
guint32         cm_dataset_get_event_group  (CmDataset      *self,
                                             const CmEvent  *event);

/* Look-ups by id; CM_NONE when there is no such id. */
guint32         cm_dataset_find_event       (CmDataset   *self,
                                             const char  *id);
guint32         cm_dataset_find_actor       (CmDataset   *self,
                                             const char  *id);
guint32         cm_dataset_find_place       (CmDataset   *self,
                                             const char  *id);
guint32         cm_dataset_find_group       (CmDataset   *self,
                                             const char  *id);

/* Events with a date: the first this many of the time order. */
guint           cm_dataset_get_n_dated_events (CmDataset *self);
/* Event indexes sorted by start, then end, then file order; undated
 * events last, in file order. */
const guint32  *cm_dataset_get_time_order   (CmDataset   *self);
/* Position in the time order of an event index (inverse permutation). */
guint           cm_dataset_get_time_rank    (CmDataset   *self,
                                             guint        event);
/* First position in the time order whose event starts at or after
 * @seconds (the number of dated events if none): a binary search. */
guint           cm_dataset_bisect_start     (CmDataset   *self,
                                             gint64       seconds);
/* The events at @place, and the events of @actor, in time order: indexes
 * built at load, so a place's or an actor's events are found without
 * scanning every event. */
const guint32  *cm_dataset_get_place_events (CmDataset   *self,
                                             guint        place,
                                             guint       *n_out);
const guint32  *cm_dataset_get_actor_events (CmDataset   *self,
                                             guint        actor,
                                             guint       *n_out);
/* How many events have the tag @tag, counted at load. */
guint           cm_dataset_get_tag_n_events (CmDataset   *self,
                                             guint        tag);
/* The earliest start and the latest end (cm_time_get_end) of all events
 * and periods; FALSE for an empty dataset. */
gboolean        cm_dataset_get_time_range   (CmDataset   *self,
                                             gint64      *min,
                                             gint64      *max);
/* The longest extent of any event, for searching events that overlap a
 * window by bisecting on the start. */
gint64          cm_dataset_get_max_duration (CmDataset   *self);

/* Approximate heap bytes held by the dataset, for the benchmarks. */
gsize           cm_dataset_get_memory_size  (CmDataset   *self);


/* Building: the loader, importers, generators and tests fill a builder,
 * then finish it into an immutable dataset. Strings passed in are copied:
 * those that repeat (names, tags, link titles, property keys) are
 * interned, those that are nearly all distinct (ids and titles of events,
 * actors' link addresses, property values) are copied without looking for
 * an equal one, so two events never share a title's storage; summaries,
 * quotes and event sources' addresses are compressed.
 * Indexes given for references must already exist. */
typedef struct _CmDatasetBuilder CmDatasetBuilder;

CmDatasetBuilder *cm_dataset_builder_new        (void);
void              cm_dataset_builder_free       (CmDatasetBuilder *builder);
void              cm_dataset_builder_set_title  (CmDatasetBuilder *builder,
                                                 const char       *title,
                                                 const char       *description);
/* @format: a static string, see cm_dataset_get_format(). */
void              cm_dataset_builder_set_format (CmDatasetBuilder *builder,
                                                 const char       *format);
/* A hint: about @n_events events will be added. */
void              cm_dataset_builder_expect_events (CmDatasetBuilder *builder,
                                                    guint             n_events);
/* Events added so far (for progress reports). */
guint             cm_dataset_builder_get_n_events (CmDatasetBuilder *builder);
/* Interns a string (NULL stays NULL). Equal strings share storage. */
const char       *cm_dataset_builder_intern     (CmDatasetBuilder *builder,
                                                 const char       *text);
/* Each add_* copies the struct and its strings (see above); the returned
 * value is the new item's index. Array-valued fields of the struct
 * (links, refs, quotes, sources, n_*) are ignored and set from the
 * arguments. */
guint32           cm_dataset_builder_add_group  (CmDatasetBuilder *builder,
                                                 const CmGroup    *group);
guint32           cm_dataset_builder_add_actor  (CmDatasetBuilder *builder,
                                                 const CmActor    *actor,
                                                 const CmLink     *links,
                                                 guint             n_links);
guint32           cm_dataset_builder_add_place  (CmDatasetBuilder *builder,
                                                 const CmPlace    *place);
guint32           cm_dataset_builder_add_period (CmDatasetBuilder *builder,
                                                 const CmPeriod   *period);
/* Tags are given as strings; the dataset keeps one index per distinct
 * tag. */
guint32           cm_dataset_builder_add_event  (CmDatasetBuilder *builder,
                                                 const CmEvent    *event,
                                                 const guint32    *places,
                                                 guint             n_places,
                                                 const guint32    *actors,
                                                 guint             n_actors,
                                                 const char *const *tags,
                                                 guint             n_tags,
                                                 const CmQuote    *quotes,
                                                 guint             n_quotes,
                                                 const CmLink     *sources,
                                                 guint             n_sources);
/* Gives the event @event (an index returned by add_event) its summary
 * (copied and compressed; NULL: none). Call at most once per event, in
 * the order the events were added: right after add_event. */
void              cm_dataset_builder_set_event_summary (CmDatasetBuilder *builder,
                                                        guint32           event,
                                                        const char       *summary);
/* Gives the event @event (an index returned by add_event) its extra
 * properties; copied (keys interned). Call at most once per event. */
void              cm_dataset_builder_set_event_properties (CmDatasetBuilder *builder,
                                                           guint32           event,
                                                           const CmProperty *properties,
                                                           guint             n_properties);
/* Sorts, builds the indexes, frees the builder. */
CmDataset        *cm_dataset_builder_finish     (CmDatasetBuilder *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmDatasetBuilder, cm_dataset_builder_free)

G_END_DECLS
