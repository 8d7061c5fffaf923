/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-dataset"

#include "config.h"

#include <string.h>

#include "cm-dataset.h"
#include "cm-sort.h"
#include "cm-text-store.h"

/* Indexes into a kind of @n_items items, or CM_NONE, each in the fewest
 * bytes that hold them all: one while there are fewer than 255 items (a
 * file's groups nearly always), two below 65,535, else four. CM_NONE is
 * the width's largest value. Per-event arrays of these cost a quarter or
 * a half of guint32s. */
typedef struct
{
  gpointer data;
  guint8   width;
} Narrow;

static void
narrow_init (Narrow *narrow,
             guint   n_items,
             gsize   length)
{
  narrow->width = n_items < G_MAXUINT8 ? 1 : n_items < G_MAXUINT16 ? 2 : 4;
  narrow->data = g_malloc (MAX (length, 1) * narrow->width);
}

static inline void
narrow_set (Narrow  *narrow,
            gsize    i,
            guint32  value)
{
  switch (narrow->width)
    {
    case 1:
      ((guint8 *) narrow->data)[i] = value == CM_NONE ? G_MAXUINT8 : value;
      break;
    case 2:
      ((guint16 *) narrow->data)[i] = value == CM_NONE ? G_MAXUINT16 : value;
      break;
    default:
      ((guint32 *) narrow->data)[i] = value;
      break;
    }
}

static inline guint32
narrow_get (const Narrow *narrow,
            gsize         i)
{
  guint32 value;

  switch (narrow->width)
    {
    case 1:
      value = ((const guint8 *) narrow->data)[i];
      return value == G_MAXUINT8 ? CM_NONE : value;
    case 2:
      value = ((const guint16 *) narrow->data)[i];
      return value == G_MAXUINT16 ? CM_NONE : value;
    default:
      return ((const guint32 *) narrow->data)[i];
    }
}

/* A narrow copy of @n guint32 indexes below @n_items (or CM_NONE). */
static void
narrow_from (Narrow        *narrow,
             guint          n_items,
             const guint32 *values,
             gsize          n)
{
  narrow_init (narrow, n_items, n);
  for (gsize i = 0; i < n; i++)
    narrow_set (narrow, i, values[i]);
}

struct _CmDataset
{
  GObject       parent_instance;

  GStringChunk *strings;
  gsize         string_bytes;
  CmTextStore  *summaries;       /* item i: event i's summary */
  const char   *title;
  const char   *description;
  const char   *format;
  GFile        *file;

  CmEvent      *events;
  CmActor      *actors;
  CmPlace      *places;
  CmGroup      *groups;
  CmPeriod     *periods;
  const char  **tags;
  guint32      *refs;
  /* Quotes and event sources: their texts are most of what is left
   * once summaries are compressed, so they are compressed too; item i of
   * a store belongs to quote or source i. */
  Narrow        quote_actors;    /* actor index per quote */
  CmTextStore  *quote_texts;
  CmTextStore  *source_titles;
  CmTextStore  *source_urls;
  /* The first quote and source of every SPAN-th event: an event's are
   * found from there and the n_quotes, n_sources of the events between,
   * which keeps 8 bytes an event out of CmEvent. */
  guint32      *span_quotes;
  guint32      *span_sources;
  CmLink       *links;           /* actors' links, few */
  CmProperty   *properties;
  guint32      *property_spans;  /* first, count per event; NULL if no event has any */

  guint         n_events;
  guint         n_dated;
  guint         n_actors;
  guint         n_places;
  guint         n_groups;
  guint         n_periods;
  guint         n_tags;
  guint         n_refs;
  guint         n_quotes;
  guint         n_sources;
  guint         n_links;
  guint         n_properties;

  /* Indexes: event indexes by time, and each kind's indexes sorted by id
   * for bisection (4 bytes an item, where a hash table costs ~40). */
  guint32      *time_order;
  guint32      *time_rank;
  guint32      *events_by_id;
  guint32      *actors_by_id;
  guint32      *places_by_id;
  guint32      *groups_by_id;
  /* Events by place and by actor, in time order: the events of item i are
   * [first[i], first[i + 1]) of the array. */
  guint32      *place_events;
  guint32      *place_events_first;
  guint32      *actor_events;
  guint32      *actor_events_first;

  /* The group each event is drawn in, worked out once at finish: views
   * ask for it for every event they place. */
  Narrow        event_groups;
  /* How many events have each tag. */
  guint32      *tag_counts;

  gint64        min_time;
  gint64        max_time;
  gint64        max_duration;
};

G_DEFINE_FINAL_TYPE (CmDataset, cm_dataset, G_TYPE_OBJECT)

static void
cm_dataset_finalize (GObject *object)
{
  CmDataset *self = CM_DATASET (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->summaries, cm_text_store_free);
  g_clear_pointer (&self->events, g_free);
  g_clear_pointer (&self->actors, g_free);
  g_clear_pointer (&self->places, g_free);
  g_clear_pointer (&self->groups, g_free);
  g_clear_pointer (&self->periods, g_free);
  g_clear_pointer (&self->tags, g_free);
  g_clear_pointer (&self->refs, g_free);
  g_clear_pointer (&self->quote_actors.data, g_free);
  g_clear_pointer (&self->span_quotes, g_free);
  g_clear_pointer (&self->span_sources, g_free);
  g_clear_pointer (&self->quote_texts, cm_text_store_free);
  g_clear_pointer (&self->source_titles, cm_text_store_free);
  g_clear_pointer (&self->source_urls, cm_text_store_free);
  g_clear_pointer (&self->links, g_free);
  g_clear_pointer (&self->properties, g_free);
  g_clear_pointer (&self->property_spans, g_free);
  g_clear_pointer (&self->time_order, g_free);
  g_clear_pointer (&self->place_events, g_free);
  g_clear_pointer (&self->place_events_first, g_free);
  g_clear_pointer (&self->actor_events, g_free);
  g_clear_pointer (&self->actor_events_first, g_free);
  g_clear_pointer (&self->time_rank, g_free);
  g_clear_pointer (&self->event_groups.data, g_free);
  g_clear_pointer (&self->tag_counts, g_free);
  g_clear_pointer (&self->events_by_id, g_free);
  g_clear_pointer (&self->actors_by_id, g_free);
  g_clear_pointer (&self->places_by_id, g_free);
  g_clear_pointer (&self->groups_by_id, g_free);

  G_OBJECT_CLASS (cm_dataset_parent_class)->finalize (object);
}

static void
cm_dataset_class_init (CmDatasetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_dataset_finalize;
}

static void
cm_dataset_init (CmDataset *self)
{
}

const char *
cm_dataset_get_title (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  return self->title;
}

const char *
cm_dataset_get_description (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  return self->description;
}

GFile *
cm_dataset_get_file (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  return self->file;
}

const char *
cm_dataset_get_format (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  return self->format;
}

void
cm_dataset_set_file (CmDataset *self,
                     GFile     *file)
{
  g_return_if_fail (CM_IS_DATASET (self));

  g_set_object (&self->file, file);
}

#define DEFINE_COUNT(kind) \
  guint \
  cm_dataset_get_n_##kind (CmDataset *self) \
  { \
    g_return_val_if_fail (CM_IS_DATASET (self), 0); \
    return self->n_##kind; \
  }

DEFINE_COUNT (events)
DEFINE_COUNT (actors)
DEFINE_COUNT (places)
DEFINE_COUNT (groups)
DEFINE_COUNT (periods)
DEFINE_COUNT (tags)

#define DEFINE_GETTER(Type, name, plural) \
  const Type * \
  cm_dataset_get_##name (CmDataset *self, \
                         guint      index) \
  { \
    g_return_val_if_fail (CM_IS_DATASET (self), NULL); \
    g_return_val_if_fail (index < self->n_##plural, NULL); \
    return &self->plural[index]; \
  }

DEFINE_GETTER (CmEvent, event, events)
DEFINE_GETTER (CmActor, actor, actors)
DEFINE_GETTER (CmPlace, place, places)
DEFINE_GETTER (CmGroup, group, groups)
DEFINE_GETTER (CmPeriod, period, periods)

const char *
cm_dataset_get_tag (CmDataset *self,
                    guint      index)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (index < self->n_tags, NULL);

  return self->tags[index];
}

const guint32 *
cm_dataset_get_event_places (CmDataset     *self,
                             const CmEvent *event,
                             guint         *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event != NULL && n_out != NULL, NULL);

  *n_out = event->n_places;
  return self->refs + event->refs;
}

const guint32 *
cm_dataset_get_event_actors (CmDataset     *self,
                             const CmEvent *event,
                             guint         *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event != NULL && n_out != NULL, NULL);

  *n_out = event->n_actors;
  return self->refs + event->refs + event->n_places;
}

const guint32 *
cm_dataset_get_event_tags (CmDataset     *self,
                           const CmEvent *event,
                           guint         *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event != NULL && n_out != NULL, NULL);

  *n_out = event->n_tags;
  return self->refs + event->refs + event->n_places + event->n_actors;
}

/* @n structs of @size bytes in one allocation, with the texts of items
 * [first, first + n) of each of @n_stores stores after them, the string
 * member at offsets[k] of each struct pointing to its text of stores[k]
 * (or NULL): one g_free() frees all. NULL when @n is 0. */
static gpointer
dup_with_texts (CmTextStore *const *stores,
                const gsize        *offsets,
                guint               n_stores,
                guint               first,
                guint               n,
                gsize               size)
{
  g_autofree char **texts = NULL;
  gsize total = n * size;
  guint8 *copy;
  char *next;

  if (n == 0)
    return NULL;

  texts = g_new (char *, n * n_stores);
  for (guint i = 0; i < n * n_stores; i++)
    {
      texts[i] = cm_text_store_dup (stores[i % n_stores], first + i / n_stores);
      total += texts[i] != NULL ? strlen (texts[i]) + 1 : 0;
    }

  copy = g_malloc0 (total);
  next = (char *) copy + n * size;
  for (guint i = 0; i < n * n_stores; i++)
    if (texts[i] != NULL)
      {
        gsize length = strlen (texts[i]) + 1;

        memcpy (next, texts[i], length);
        *(const char **) (copy + i / n_stores * size + offsets[i % n_stores]) = next;
        next += length;
        g_free (texts[i]);
      }

  return copy;
}

#define SPAN 32

/* The index of @event's first quote (@sources FALSE) or source. */
static guint
first_of_event (CmDataset     *self,
                const CmEvent *event,
                gboolean       sources)
{
  guint index = event - self->events;
  const CmEvent *from = self->events + index / SPAN * SPAN;
  guint first = (sources ? self->span_sources : self->span_quotes)[index / SPAN];

  for (; from < event; from++)
    first += sources ? from->n_sources : from->n_quotes;

  return first;
}

CmQuote *
cm_dataset_dup_event_quotes (CmDataset     *self,
                             const CmEvent *event,
                             guint         *n_out)
{
  static const gsize text_offset = G_STRUCT_OFFSET (CmQuote, text);
  CmQuote *quotes;
  guint first;

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event >= self->events && event < self->events + self->n_events, NULL);
  g_return_val_if_fail (n_out != NULL, NULL);

  *n_out = event->n_quotes;
  if (event->n_quotes == 0)
    return NULL;
  first = first_of_event (self, event, FALSE);
  quotes = dup_with_texts (&self->quote_texts, &text_offset, 1, first, event->n_quotes,
                           sizeof (CmQuote));
  for (guint i = 0; i < event->n_quotes; i++)
    quotes[i].actor = narrow_get (&self->quote_actors, first + i);

  return quotes;
}

CmLink *
cm_dataset_dup_event_sources (CmDataset     *self,
                              const CmEvent *event,
                              guint         *n_out)
{
  static const gsize offsets[] = { G_STRUCT_OFFSET (CmLink, title), G_STRUCT_OFFSET (CmLink, url) };
  CmTextStore *stores[2];

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event >= self->events && event < self->events + self->n_events, NULL);
  g_return_val_if_fail (n_out != NULL, NULL);

  *n_out = event->n_sources;
  if (event->n_sources == 0)
    return NULL;

  stores[0] = self->source_titles;
  stores[1] = self->source_urls;
  return dup_with_texts (stores, offsets, G_N_ELEMENTS (stores), first_of_event (self, event, TRUE),
                         event->n_sources, sizeof (CmLink));
}

char *
cm_dataset_dup_event_summary (CmDataset     *self,
                              const CmEvent *event)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event >= self->events && event < self->events + self->n_events, NULL);

  return cm_text_store_dup (self->summaries, event - self->events);
}

const CmProperty *
cm_dataset_get_event_properties (CmDataset     *self,
                                 const CmEvent *event,
                                 guint         *n_out)
{
  guint index;

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (event != NULL && n_out != NULL, NULL);

  index = event - self->events;
  g_return_val_if_fail (index < self->n_events, NULL);

  if (self->property_spans == NULL)
    {
      *n_out = 0;
      return NULL;
    }

  *n_out = self->property_spans[2 * index + 1];
  return self->properties + self->property_spans[2 * index];
}

const CmLink *
cm_dataset_get_actor_links (CmDataset     *self,
                            const CmActor *actor,
                            guint         *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (actor != NULL && n_out != NULL, NULL);

  *n_out = actor->n_links;
  return self->links + actor->links;
}

static guint32
find_event_group (CmDataset     *self,
                  const CmEvent *event)
{
  const guint32 *actors = self->refs + event->refs + event->n_places;

  for (guint i = 0; i < event->n_actors; i++)
    if (self->actors[actors[i]].group != CM_NONE)
      return self->actors[actors[i]].group;

  return CM_NONE;
}

guint32
cm_dataset_get_event_group (CmDataset     *self,
                            const CmEvent *event)
{
  gsize index;

  g_return_val_if_fail (CM_IS_DATASET (self), CM_NONE);
  g_return_val_if_fail (event != NULL, CM_NONE);

  index = event - self->events;
  g_return_val_if_fail (index < self->n_events, CM_NONE);

  return narrow_get (&self->event_groups, index);
}

/* Items of every kind start with their id, so one bisection serves all. */
static guint32
bisect_id (const guint32 *by_id,
           guint          n,
           gconstpointer  items,
           gsize          item_size,
           const char    *id)
{
  guint lo = 0, hi = n;

  if (id == NULL)
    return CM_NONE;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const char *mid_id = *(const char * const *) ((const char *) items + by_id[mid] * item_size);
      int cmp = g_strcmp0 (mid_id, id);

      if (cmp == 0)
        return by_id[mid];
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return CM_NONE;
}

guint32
cm_dataset_find_event (CmDataset  *self,
                       const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), CM_NONE);

  return bisect_id (self->events_by_id, self->n_events, self->events, sizeof (CmEvent), id);
}

guint32
cm_dataset_find_actor (CmDataset  *self,
                       const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), CM_NONE);

  return bisect_id (self->actors_by_id, self->n_actors, self->actors, sizeof (CmActor), id);
}

guint32
cm_dataset_find_place (CmDataset  *self,
                       const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), CM_NONE);

  return bisect_id (self->places_by_id, self->n_places, self->places, sizeof (CmPlace), id);
}

guint32
cm_dataset_find_group (CmDataset  *self,
                       const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), CM_NONE);

  return bisect_id (self->groups_by_id, self->n_groups, self->groups, sizeof (CmGroup), id);
}

const guint32 *
cm_dataset_get_time_order (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  return self->time_order;
}

guint
cm_dataset_get_n_dated_events (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);

  return self->n_dated;
}

guint
cm_dataset_get_time_rank (CmDataset *self,
                          guint      event)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  g_return_val_if_fail (event < self->n_events, 0);

  return self->time_rank[event];
}

guint
cm_dataset_bisect_start (CmDataset *self,
                         gint64     seconds)
{
  guint lo = 0, hi;

  g_return_val_if_fail (CM_IS_DATASET (self), 0);

  hi = self->n_dated;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->events[self->time_order[mid]].start.seconds < seconds)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

const guint32 *
cm_dataset_get_place_events (CmDataset *self,
                             guint      place,
                             guint     *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (place < self->n_places, NULL);
  g_return_val_if_fail (n_out != NULL, NULL);

  *n_out = self->place_events_first[place + 1] - self->place_events_first[place];
  return self->place_events + self->place_events_first[place];
}

guint
cm_dataset_get_tag_n_events (CmDataset *self,
                             guint      tag)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  g_return_val_if_fail (tag < self->n_tags, 0);

  return self->tag_counts[tag];
}

const guint32 *
cm_dataset_get_actor_events (CmDataset *self,
                             guint      actor,
                             guint     *n_out)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (actor < self->n_actors, NULL);
  g_return_val_if_fail (n_out != NULL, NULL);

  *n_out = self->actor_events_first[actor + 1] - self->actor_events_first[actor];
  return self->actor_events + self->actor_events_first[actor];
}

gboolean
cm_dataset_get_time_range (CmDataset *self,
                           gint64    *min,
                           gint64    *max)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);

  if (self->n_dated == 0 && self->n_periods == 0)
    return FALSE;

  if (min)
    *min = self->min_time;
  if (max)
    *max = self->max_time;

  return TRUE;
}

gint64
cm_dataset_get_max_duration (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);

  return self->max_duration;
}

gsize
cm_dataset_get_memory_size (CmDataset *self)
{
  gsize size = sizeof *self;

  g_return_val_if_fail (CM_IS_DATASET (self), 0);

  /* An event: the struct, its time order and rank, its place in the
   * order by id, its group. */
  size += self->n_events * (sizeof (CmEvent) + 3 * sizeof (guint32) + self->event_groups.width);
  size += self->n_actors * (sizeof (CmActor) + sizeof (guint32));
  size += self->n_places * (sizeof (CmPlace) + sizeof (guint32));
  size += self->n_groups * (sizeof (CmGroup) + sizeof (guint32));
  size += self->n_periods * sizeof (CmPeriod);
  size += self->n_tags * (sizeof (char *) + sizeof (guint32));
  size += self->n_refs * sizeof (guint32);
  size += (self->n_places + self->n_actors + 2) * sizeof (guint32);
  size += (self->n_events / SPAN + 1) * 2 * sizeof (guint32);
  size += self->n_quotes * self->quote_actors.width + cm_text_store_get_memory_size (self->quote_texts);
  size += cm_text_store_get_memory_size (self->source_titles) +
          cm_text_store_get_memory_size (self->source_urls);
  size += self->n_links * sizeof (CmLink);
  size += self->n_properties * sizeof (CmProperty);
  if (self->property_spans != NULL)
    size += self->n_events * 2 * sizeof (guint32);
  /* GStringChunk allocates in blocks; the sum of its blocks is not
   * public, so count what its strings take plus one block of slack. */
  size += self->string_bytes + 64 * 1024;
  size += cm_text_store_get_memory_size (self->summaries);

  return size;
}


/* Building */

struct _CmDatasetBuilder
{
  GStringChunk *strings;
  gsize         string_bytes;
  CmTextStore  *summaries;  /* item i: event i's; filled up to the last set */
  GHashTable   *interned;   /* only while building: the dataset keeps no table */
  GHashTable   *tag_index;  /* interned tag -> index + 1 */
  const char   *title;
  const char   *description;
  const char   *format;

  GArray       *events;
  GArray       *actors;
  GArray       *places;
  GArray       *groups;
  GArray       *periods;
  GPtrArray    *tags;
  GArray       *refs;
  GArray       *quote_actors;  /* guint32 */
  CmTextStore  *quote_texts;
  CmTextStore  *source_titles;
  CmTextStore  *source_urls;
  GArray       *span_quotes;    /* guint32 */
  GArray       *span_sources;   /* guint32 */
  GArray       *links;          /* actors' */
  GArray       *properties;
  GArray       *property_spans;  /* created at the first event with properties */
};

CmDatasetBuilder *
cm_dataset_builder_new (void)
{
  CmDatasetBuilder *builder = g_new0 (CmDatasetBuilder, 1);

  builder->strings = g_string_chunk_new (64 * 1024);
  builder->summaries = cm_text_store_new ();
  builder->interned = g_hash_table_new (g_str_hash, g_str_equal);
  builder->tag_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  builder->events = g_array_new (FALSE, FALSE, sizeof (CmEvent));
  builder->actors = g_array_new (FALSE, FALSE, sizeof (CmActor));
  builder->places = g_array_new (FALSE, FALSE, sizeof (CmPlace));
  builder->groups = g_array_new (FALSE, FALSE, sizeof (CmGroup));
  builder->periods = g_array_new (FALSE, FALSE, sizeof (CmPeriod));
  builder->tags = g_ptr_array_new ();
  builder->refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->quote_actors = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->quote_texts = cm_text_store_new ();
  builder->source_titles = cm_text_store_new ();
  builder->source_urls = cm_text_store_new ();
  builder->span_quotes = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->span_sources = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->links = g_array_new (FALSE, FALSE, sizeof (CmLink));
  builder->properties = g_array_new (FALSE, FALSE, sizeof (CmProperty));

  return builder;
}

void
cm_dataset_builder_free (CmDatasetBuilder *builder)
{
  if (builder == NULL)
    return;

  g_clear_pointer (&builder->strings, g_string_chunk_free);
  g_clear_pointer (&builder->summaries, cm_text_store_free);
  g_clear_pointer (&builder->interned, g_hash_table_unref);
  g_clear_pointer (&builder->tag_index, g_hash_table_unref);
  g_clear_pointer (&builder->events, g_array_unref);
  g_clear_pointer (&builder->actors, g_array_unref);
  g_clear_pointer (&builder->places, g_array_unref);
  g_clear_pointer (&builder->groups, g_array_unref);
  g_clear_pointer (&builder->periods, g_array_unref);
  g_clear_pointer (&builder->tags, g_ptr_array_unref);
  g_clear_pointer (&builder->refs, g_array_unref);
  g_clear_pointer (&builder->quote_actors, g_array_unref);
  g_clear_pointer (&builder->quote_texts, cm_text_store_free);
  g_clear_pointer (&builder->source_titles, cm_text_store_free);
  g_clear_pointer (&builder->source_urls, cm_text_store_free);
  g_clear_pointer (&builder->span_quotes, g_array_unref);
  g_clear_pointer (&builder->span_sources, g_array_unref);
  g_clear_pointer (&builder->links, g_array_unref);
  g_clear_pointer (&builder->properties, g_array_unref);
  g_clear_pointer (&builder->property_spans, g_array_unref);
  g_free (builder);
}

const char *
cm_dataset_builder_intern (CmDatasetBuilder *builder,
                           const char       *text)
{
  const char *interned;

  g_return_val_if_fail (builder != NULL, NULL);

  if (text == NULL)
    return NULL;

  interned = g_hash_table_lookup (builder->interned, text);
  if (interned == NULL)
    {
      interned = g_string_chunk_insert (builder->strings, text);
      builder->string_bytes += strlen (text) + 1;
      g_hash_table_add (builder->interned, (gpointer) interned);
    }

  return interned;
}

/* A copy without the interning table, for strings that are nearly all
 * distinct (ids, titles, property values): hashing
 * and keeping a table entry for each costs far more than the rare
 * duplicate saves (a quarter of a million-event load). */
static const char *
copy_string (CmDatasetBuilder *builder,
             const char       *text)
{
  gsize length;

  if (text == NULL)
    return NULL;

  length = strlen (text);
  builder->string_bytes += length + 1;
  return g_string_chunk_insert_len (builder->strings, text, length);
}

void
cm_dataset_builder_expect_events (CmDatasetBuilder *builder,
                                  guint             n_events)
{
  g_return_if_fail (builder != NULL);

  /* One allocation of the right size instead of a doubling array's
   * copies; a wrong guess costs nothing but the hint. */
  if (builder->events->len == 0 && n_events > 0)
    {
      g_array_unref (builder->events);
      builder->events = g_array_sized_new (FALSE, FALSE, sizeof (CmEvent), n_events);
    }
}

guint
cm_dataset_builder_get_n_events (CmDatasetBuilder *builder)
{
  g_return_val_if_fail (builder != NULL, 0);

  return builder->events->len;
}

void
cm_dataset_builder_set_title (CmDatasetBuilder *builder,
                              const char       *title,
                              const char       *description)
{
  g_return_if_fail (builder != NULL);

  builder->title = cm_dataset_builder_intern (builder, title);
  builder->description = cm_dataset_builder_intern (builder, description);
}

void
cm_dataset_builder_set_format (CmDatasetBuilder *builder,
                               const char       *format)
{
  g_return_if_fail (builder != NULL);

  builder->format = format;
}

/* Titles of links repeat ("Reuters", "Profile"); addresses mostly do not. */
static guint32
append_links (CmDatasetBuilder *builder,
              const CmLink     *links,
              guint             n_links)
{
  guint32 first = builder->links->len;

  for (guint i = 0; i < n_links; i++)
    {
      CmLink link = {
        cm_dataset_builder_intern (builder, links[i].title),
        copy_string (builder, links[i].url),
      };
      g_array_append_val (builder->links, link);
    }

  return first;
}

guint32
cm_dataset_builder_add_group (CmDatasetBuilder *builder,
                              const CmGroup    *group)
{
  CmGroup copy;

  g_return_val_if_fail (builder != NULL, CM_NONE);
  g_return_val_if_fail (group != NULL, CM_NONE);

  copy = *group;
  copy.id = cm_dataset_builder_intern (builder, group->id);
  copy.name = cm_dataset_builder_intern (builder, group->name);
  g_array_append_val (builder->groups, copy);

  return builder->groups->len - 1;
}

guint32
cm_dataset_builder_add_actor (CmDatasetBuilder *builder,
                              const CmActor    *actor,
                              const CmLink     *links,
                              guint             n_links)
{
  CmActor copy;

  g_return_val_if_fail (builder != NULL, CM_NONE);
  g_return_val_if_fail (actor != NULL, CM_NONE);
  g_return_val_if_fail (actor->group == CM_NONE || actor->group < builder->groups->len, CM_NONE);

  copy = *actor;
  copy.id = cm_dataset_builder_intern (builder, actor->id);
  copy.name = cm_dataset_builder_intern (builder, actor->name);
  copy.role = cm_dataset_builder_intern (builder, actor->role);
  copy.description = cm_dataset_builder_intern (builder, actor->description);
  copy.links = append_links (builder, links, n_links);
  copy.n_links = n_links;
  g_array_append_val (builder->actors, copy);

  return builder->actors->len - 1;
}

guint32
cm_dataset_builder_add_place (CmDatasetBuilder *builder,
                              const CmPlace    *place)
{
  CmPlace copy;

  g_return_val_if_fail (builder != NULL, CM_NONE);
  g_return_val_if_fail (place != NULL, CM_NONE);

  copy = *place;
  copy.id = cm_dataset_builder_intern (builder, place->id);
  copy.name = cm_dataset_builder_intern (builder, place->name);
  copy.country = cm_dataset_builder_intern (builder, place->country);
  copy.timezone = cm_dataset_builder_intern (builder, place->timezone);
  g_array_append_val (builder->places, copy);

  return builder->places->len - 1;
}

guint32
cm_dataset_builder_add_period (CmDatasetBuilder *builder,
                               const CmPeriod   *period)
{
  CmPeriod copy;

  g_return_val_if_fail (builder != NULL, CM_NONE);
  g_return_val_if_fail (period != NULL, CM_NONE);

  copy = *period;
  copy.id = cm_dataset_builder_intern (builder, period->id);
  copy.title = cm_dataset_builder_intern (builder, period->title);
  copy.description = cm_dataset_builder_intern (builder, period->description);
  g_array_append_val (builder->periods, copy);

  return builder->periods->len - 1;
}

static guint32
intern_tag (CmDatasetBuilder *builder,
            const char       *tag)
{
  const char *interned = cm_dataset_builder_intern (builder, tag);
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (builder->tag_index, interned));

  if (index == 0)
    {
      g_ptr_array_add (builder->tags, (gpointer) interned);
      index = builder->tags->len;
      g_hash_table_insert (builder->tag_index, (gpointer) interned, GUINT_TO_POINTER (index));
    }

  return index - 1;
}

guint32
cm_dataset_builder_add_event (CmDatasetBuilder  *builder,
                              const CmEvent     *event,
                              const guint32     *places,
                              guint              n_places,
                              const guint32     *actors,
                              guint              n_actors,
                              const char *const *tags,
                              guint              n_tags,
                              const CmQuote     *quotes,
                              guint              n_quotes,
                              const CmLink      *sources,
                              guint              n_sources)
{
  CmEvent copy;

  g_return_val_if_fail (builder != NULL, CM_NONE);
  g_return_val_if_fail (event != NULL, CM_NONE);
  g_return_val_if_fail (n_places <= G_MAXUINT16 && n_actors <= G_MAXUINT16 &&
                        n_tags <= G_MAXUINT16 && n_quotes <= G_MAXUINT16 &&
                        n_sources <= G_MAXUINT16, CM_NONE);
  /* Before anything is added: a quote's position counts from the
   * quotes before it. */
  for (guint i = 0; i < n_quotes; i++)
    g_return_val_if_fail (quotes[i].actor == CM_NONE || quotes[i].actor < builder->actors->len,
                          CM_NONE);

  copy = *event;
  copy.id = copy_string (builder, event->id);
  copy.title = copy_string (builder, event->title);
  if (!event->has_end)
    copy.end = copy.start;
  if (event->undated)
    {
      memset (&copy.start, 0, sizeof copy.start);
      memset (&copy.end, 0, sizeof copy.end);
      copy.has_end = FALSE;
    }

  copy.refs = builder->refs->len;
  copy.n_places = n_places;
  copy.n_actors = n_actors;
  copy.n_tags = n_tags;
  for (guint i = 0; i < n_places; i++)
    {
      g_return_val_if_fail (places[i] < builder->places->len, CM_NONE);
      g_array_append_val (builder->refs, places[i]);
    }
  for (guint i = 0; i < n_actors; i++)
    {
      g_return_val_if_fail (actors[i] < builder->actors->len, CM_NONE);
      g_array_append_val (builder->refs, actors[i]);
    }
  for (guint i = 0; i < n_tags; i++)
    {
      guint32 tag = intern_tag (builder, tags[i]);
      g_array_append_val (builder->refs, tag);
    }

  if (builder->events->len % SPAN == 0)
    {
      guint32 first_quote = builder->quote_actors->len;
      guint32 first_source = cm_text_store_get_n_items (builder->source_titles);

      g_array_append_val (builder->span_quotes, first_quote);
      g_array_append_val (builder->span_sources, first_source);
    }
  copy.n_quotes = n_quotes;
  for (guint i = 0; i < n_quotes; i++)
    {
      g_array_append_val (builder->quote_actors, quotes[i].actor);
      cm_text_store_append (builder->quote_texts, quotes[i].text);
    }

  copy.n_sources = n_sources;
  for (guint i = 0; i < n_sources; i++)
    {
      cm_text_store_append (builder->source_titles, sources[i].title);
      cm_text_store_append (builder->source_urls, sources[i].url);
    }

  g_array_append_val (builder->events, copy);

  return builder->events->len - 1;
}

void
cm_dataset_builder_set_event_summary (CmDatasetBuilder *builder,
                                      guint32           event,
                                      const char       *summary)
{
  guint n_items;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (event < builder->events->len);

  n_items = cm_text_store_get_n_items (builder->summaries);
  g_return_if_fail (event >= n_items);

  if (summary == NULL)
    return;
  /* Events given no summary before this one have none. */
  while (n_items++ < event)
    cm_text_store_append (builder->summaries, NULL);
  cm_text_store_append (builder->summaries, summary);
}

void
cm_dataset_builder_set_event_properties (CmDatasetBuilder *builder,
                                         guint32           event,
                                         const CmProperty *properties,
                                         guint             n_properties)
{
  guint32 *span;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (event < builder->events->len);

  if (n_properties == 0)
    return;

  if (builder->property_spans == NULL)
    builder->property_spans = g_array_new (FALSE, TRUE, 2 * sizeof (guint32));
  /* Zero-filled: events without properties have an empty span. */
  if (builder->property_spans->len < builder->events->len)
    g_array_set_size (builder->property_spans, builder->events->len);

  span = &g_array_index (builder->property_spans, guint32, 2 * event);
  g_return_if_fail (span[1] == 0);
  span[0] = builder->properties->len;
  span[1] = n_properties;

  for (guint i = 0; i < n_properties; i++)
    {
      /* Keys repeat from event to event; values mostly do not, and a
       * table of millions of them costs more than the copies. */
      CmProperty property = {
        cm_dataset_builder_intern (builder, properties[i].key),
        copy_string (builder, properties[i].value),
      };

      g_array_append_val (builder->properties, property);
    }
}

static gint64
event_extent_end (const CmEvent *event)
{
  return cm_time_get_end (&event->end);
}

static int
compare_time_order (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const CmEvent *events = user_data;
  guint32 ia = *(const guint32 *) a;
  guint32 ib = *(const guint32 *) b;
  const CmEvent *ea = &events[ia];
  const CmEvent *eb = &events[ib];
  gint64 end_a, end_b;

  /* Undated events last, in file order. */
  if (ea->undated || eb->undated)
    {
      if (ea->undated != eb->undated)
        return ea->undated ? 1 : -1;
      return ia < ib ? -1 : (ia > ib ? 1 : 0);
    }

  if (ea->start.seconds != eb->start.seconds)
    return ea->start.seconds < eb->start.seconds ? -1 : 1;

  end_a = event_extent_end (ea);
  end_b = event_extent_end (eb);
  if (end_a != end_b)
    return end_a < end_b ? -1 : 1;

  return ia < ib ? -1 : (ia > ib ? 1 : 0);
}

typedef struct
{
  gconstpointer items;
  gsize         item_size;
} IdSortData;

static int
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const IdSortData *data = user_data;
  const char *id_a = *(const char * const *) ((const char *) data->items +
                                             *(const guint32 *) a * data->item_size);
  const char *id_b = *(const char * const *) ((const char *) data->items +
                                             *(const guint32 *) b * data->item_size);

  return g_strcmp0 (id_a, id_b);
}

static guint32 *
sort_by_id (gconstpointer items,
            guint         n,
            gsize         item_size)
{
  IdSortData data = { items, item_size };
  guint32 *order = g_new (guint32, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    order[i] = i;
  cm_sort_array (order, n, sizeof (guint32), compare_ids, &data);

  return order;
}

/* Takes a GArray's data, shrunk to its length. */
static gpointer
steal_array (GArray **array,
             guint   *n_out)
{
  guint n = (*array)->len;
  guint size = g_array_get_element_size (*array);
  gpointer data = g_array_free (g_steal_pointer (array), FALSE);

  *n_out = n;
  return g_realloc (data, MAX (n, 1) * size);
}

/* A counting sort of the events by place (or actor), keeping time order:
 * linear in the references. */
static void
index_events_by (CmDataset  *self,
                 gboolean    by_actor,
                 guint       n_items,
                 guint32   **events_out,
                 guint32   **first_out)
{
  guint32 *first = g_new0 (guint32, n_items + 2);
  /* The last event counted per item: an event naming an item twice is
   * listed once. */
  g_autofree guint32 *last = g_new (guint32, MAX (n_items, 1));
  guint32 *events;

  memset (last, 0xff, MAX (n_items, 1) * sizeof (guint32));
  for (guint i = 0; i < self->n_events; i++)
    {
      const CmEvent *event = &self->events[i];
      guint n = by_actor ? event->n_actors : event->n_places;
      const guint32 *items = self->refs + event->refs + (by_actor ? event->n_places : 0);

      for (guint k = 0; k < n; k++)
        if (last[items[k]] != i)
          {
            last[items[k]] = i;
            first[items[k] + 2]++;
          }
    }
  for (guint i = 2; i < n_items + 2; i++)
    first[i] += first[i - 1];
  events = g_new (guint32, MAX (first[n_items + 1], 1));
  memset (last, 0xff, MAX (n_items, 1) * sizeof (guint32));
  /* first[i + 1] is the next free slot of item i while filling. */
  for (guint r = 0; r < self->n_events; r++)
    {
      guint e = self->time_order[r];
      const CmEvent *event = &self->events[e];
      guint n = by_actor ? event->n_actors : event->n_places;
      const guint32 *items = self->refs + event->refs + (by_actor ? event->n_places : 0);

      for (guint k = 0; k < n; k++)
        if (last[items[k]] != e)
          {
            last[items[k]] = e;
            events[first[items[k] + 1]++] = e;
          }
    }
  *events_out = events;
  *first_out = first;
}

CmDataset *
cm_dataset_builder_finish (CmDatasetBuilder *builder)
{
  CmDataset *self;
  guint n_spans;

  g_return_val_if_fail (builder != NULL, NULL);

  self = g_object_new (CM_TYPE_DATASET, NULL);
  self->strings = g_steal_pointer (&builder->strings);
  self->string_bytes = builder->string_bytes;
  for (guint i = cm_text_store_get_n_items (builder->summaries); i < builder->events->len; i++)
    cm_text_store_append (builder->summaries, NULL);
  cm_text_store_finish (builder->summaries);
  self->summaries = g_steal_pointer (&builder->summaries);
  self->title = builder->title;
  self->description = builder->description;
  self->format = builder->format;

  self->events = steal_array (&builder->events, &self->n_events);
  self->actors = steal_array (&builder->actors, &self->n_actors);
  self->places = steal_array (&builder->places, &self->n_places);
  self->groups = steal_array (&builder->groups, &self->n_groups);
  self->periods = steal_array (&builder->periods, &self->n_periods);
  self->refs = steal_array (&builder->refs, &self->n_refs);
  self->n_quotes = builder->quote_actors->len;
  narrow_from (&self->quote_actors, self->n_actors,
               (const guint32 *) builder->quote_actors->data, self->n_quotes);
  g_clear_pointer (&builder->quote_actors, g_array_unref);
  self->span_quotes = steal_array (&builder->span_quotes, &n_spans);
  self->span_sources = steal_array (&builder->span_sources, &n_spans);
  cm_text_store_finish (builder->quote_texts);
  self->quote_texts = g_steal_pointer (&builder->quote_texts);
  self->n_sources = cm_text_store_get_n_items (builder->source_titles);
  cm_text_store_finish (builder->source_titles);
  self->source_titles = g_steal_pointer (&builder->source_titles);
  cm_text_store_finish (builder->source_urls);
  self->source_urls = g_steal_pointer (&builder->source_urls);
  self->links = steal_array (&builder->links, &self->n_links);
  self->properties = steal_array (&builder->properties, &self->n_properties);
  if (builder->property_spans != NULL)
    {
      g_array_set_size (builder->property_spans, self->n_events);
      self->property_spans = steal_array (&builder->property_spans, &n_spans);
    }
  self->n_tags = builder->tags->len;
  self->tags = (const char **) g_ptr_array_free (g_steal_pointer (&builder->tags), FALSE);

  self->time_order = g_new (guint32, MAX (self->n_events, 1));
  self->time_rank = g_new (guint32, MAX (self->n_events, 1));
  for (guint i = 0; i < self->n_events; i++)
    self->time_order[i] = i;
  cm_sort_array (self->time_order, self->n_events, sizeof (guint32),
                 compare_time_order, self->events);
  for (guint i = 0; i < self->n_events; i++)
    self->time_rank[self->time_order[i]] = i;

  narrow_init (&self->event_groups, self->n_groups, self->n_events);
  self->tag_counts = g_new0 (guint32, MAX (self->n_tags, 1));
  for (guint i = 0; i < self->n_events; i++)
    {
      const CmEvent *event = &self->events[i];
      const guint32 *tags = self->refs + event->refs + event->n_places + event->n_actors;

      narrow_set (&self->event_groups, i, find_event_group (self, event));
      /* Per mention, as the filter counts them. */
      for (guint k = 0; k < event->n_tags; k++)
        self->tag_counts[tags[k]]++;
    }

  index_events_by (self, FALSE, self->n_places, &self->place_events,
                   &self->place_events_first);
  index_events_by (self, TRUE, self->n_actors, &self->actor_events,
                   &self->actor_events_first);

  self->events_by_id = sort_by_id (self->events, self->n_events, sizeof (CmEvent));
  self->actors_by_id = sort_by_id (self->actors, self->n_actors, sizeof (CmActor));
  self->places_by_id = sort_by_id (self->places, self->n_places, sizeof (CmPlace));
  self->groups_by_id = sort_by_id (self->groups, self->n_groups, sizeof (CmGroup));

  self->min_time = G_MAXINT64;
  self->max_time = G_MININT64;
  for (guint i = 0; i < self->n_events; i++)
    {
      gint64 end;

      if (self->events[i].undated)
        continue;
      self->n_dated++;
      end = event_extent_end (&self->events[i]);

      self->min_time = MIN (self->min_time, self->events[i].start.seconds);
      self->max_time = MAX (self->max_time, end);
      self->max_duration = MAX (self->max_duration, end - self->events[i].start.seconds);
    }
  for (guint i = 0; i < self->n_periods; i++)
    {
      const CmPeriod *period = &self->periods[i];

      self->min_time = MIN (self->min_time, period->start.seconds);
      self->max_time = MAX (self->max_time, period->has_end ? cm_time_get_end (&period->end)
                                                            : cm_time_get_end (&period->start));
    }

  cm_dataset_builder_free (builder);

  return self;
}
