/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-background.h"
#include "cm-sort.h"
#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* The timeline's indexes of a dataset: passes over every event, done
 * once per dataset and lane mode, in any thread (they only read the
 * immutable dataset). At a million events they take about half a second,
 * which is why the window's timeline builds them in a worker. */

/* The lanes of an event (into @keys, at most @max) and the colour index
 * it is drawn with in each (its group's; @n_groups for none). Returns
 * how many. */
static guint
get_event_lane_keys (CmDataset     *dataset,
                     CmLaneMode     mode,
                     guint          n_groups,
                     const CmEvent *event,
                     guint32       *keys,
                     guint16       *colors,
                     guint          max)
{
  guint32 group = cm_dataset_get_event_group (dataset, event);
  guint16 color = group == CM_NONE ? n_groups : group;
  const guint32 *refs;
  guint n = 0, n_refs;

  /* An undated event has no place in time: it is in no lane. */
  if (event->undated)
    return 0;

  switch (mode)
    {
    case CM_LANE_MODE_GROUP:
      keys[0] = group;
      colors[0] = color;
      return 1;

    case CM_LANE_MODE_ACTOR:
      refs = cm_dataset_get_event_actors (dataset, event, &n_refs);
      for (guint i = 0; i < n_refs && n < max; i++)
        {
          guint32 actor_group = cm_dataset_get_actor (dataset, refs[i])->group;

          keys[n] = refs[i];
          colors[n++] = actor_group == CM_NONE ? n_groups : actor_group;
        }
      break;

    case CM_LANE_MODE_PLACE:
      refs = cm_dataset_get_event_places (dataset, event, &n_refs);
      for (guint i = 0; i < n_refs && n < max; i++)
        {
          keys[n] = refs[i];
          colors[n++] = color;
        }
      break;

    case CM_LANE_MODE_NONE:
    default:
      keys[0] = 0;
      colors[0] = color;
      return 1;
    }

  if (n == 0)
    {
      keys[0] = CM_NONE;
      colors[0] = color;
      n = 1;
    }
  return n;
}

static guint
get_n_keys (CmDataset  *dataset,
            CmLaneMode  mode)
{
  switch (mode)
    {
    case CM_LANE_MODE_GROUP: return cm_dataset_get_n_groups (dataset);
    case CM_LANE_MODE_ACTOR: return cm_dataset_get_n_actors (dataset);
    case CM_LANE_MODE_PLACE: return cm_dataset_get_n_places (dataset);
    case CM_LANE_MODE_NONE:
    default:                 return 1;
    }
}

static void
describe_lane (CmDataset  *dataset,
               CmLaneMode  mode,
               guint32     key,
               Lane       *lane)
{
  lane->group = CM_NONE;
  lane->key = mode == CM_LANE_MODE_NONE ? CM_NONE : key;

  switch (mode)
    {
    case CM_LANE_MODE_GROUP:
      lane->label = key == CM_NONE ? _("No group") : cm_dataset_get_group (dataset, key)->name;
      lane->group = key;
      break;
    case CM_LANE_MODE_ACTOR:
      if (key == CM_NONE)
        lane->label = _("No actor");
      else
        {
          const CmActor *actor = cm_dataset_get_actor (dataset, key);

          lane->label = actor->name;
          lane->group = actor->group;
        }
      break;
    case CM_LANE_MODE_PLACE:
      lane->label = key == CM_NONE ? _("No place") : cm_dataset_get_place (dataset, key)->name;
      break;
    case CM_LANE_MODE_NONE:
    default:
      lane->label = _("All events");
      break;
    }
}

/* Actors are grouped by their group, then kept in file order. */
static int
compare_actor_keys (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  CmDataset *dataset = user_data;
  guint32 ka = *(const guint32 *) a, kb = *(const guint32 *) b;
  guint32 ga = cm_dataset_get_actor (dataset, ka)->group;
  guint32 gb = cm_dataset_get_actor (dataset, kb)->group;

  if (ga != gb)
    return ga < gb ? -1 : 1;
  return ka < kb ? -1 : (ka > kb);
}

static guint
get_bucket (gint64 extent)
{
  return MIN (g_bit_storage ((guint64) MAX (extent, 1)) / 3, N_BUCKETS - 1);
}

/* Which keys have events (only those get a lane, in key order; actors by
 * group), and each event's range in event_lanes. FALSE if cancelled. */
static gboolean
create_lanes (CmTimelineLanes *self,
              guint32         *key_lane,
              guint32         *no_key_lane,
              GCancellable    *cancellable)
{
  CmDataset *dataset = self->dataset;
  guint n_events = cm_dataset_get_n_events (dataset), n_groups = cm_dataset_get_n_groups (dataset);
  guint n_keys = get_n_keys (dataset, self->mode), n_placements = 0;
  g_autofree guint32 *key_order = NULL;
  guint32 keys[256];
  guint16 colors[256];

  memset (key_lane, 0xff, n_keys * sizeof (guint32));
  self->event_lane_index = g_new (guint32, n_events + 1);
  for (guint e = 0; e < n_events; e++)
    {
      guint n = get_event_lane_keys (dataset, self->mode, n_groups, cm_dataset_get_event (dataset, e),
                                     keys, colors, G_N_ELEMENTS (keys));

      if (cm_cancelled_at (cancellable, e))
        return FALSE;
      self->event_lane_index[e] = n_placements;
      n_placements += n;
      for (guint i = 0; i < n; i++)
        {
          if (keys[i] == CM_NONE)
            *no_key_lane = 0;
          else
            key_lane[keys[i]] = 0;
        }
    }
  self->event_lane_index[n_events] = n_placements;
  self->event_lanes = g_new (guint32, MAX (n_placements, 1));

  key_order = g_new (guint32, MAX (n_keys, 1));
  for (guint k = 0; k < n_keys; k++)
    key_order[k] = k;
  if (self->mode == CM_LANE_MODE_ACTOR)
    cm_sort_array (key_order, n_keys, sizeof (guint32), compare_actor_keys, dataset);

  for (guint i = 0; i < n_keys; i++)
    if (key_lane[key_order[i]] == 0)
      {
        Lane lane = { 0, };

        describe_lane (dataset, self->mode, key_order[i], &lane);
        key_lane[key_order[i]] = self->lanes->len;
        g_array_append_val (self->lanes, lane);
      }
  if (*no_key_lane == 0)
    {
      Lane lane = { 0, };

      describe_lane (dataset, self->mode, CM_NONE, &lane);
      *no_key_lane = self->lanes->len;
      g_array_append_val (self->lanes, lane);
    }
  return TRUE;
}

/* Fills the buckets in time order, so each stays sorted by start. Two
 * passes: count, then place. FALSE if cancelled. */
static gboolean
fill_lanes (CmTimelineLanes *self,
            const guint32   *key_lane,
            guint32          no_key_lane,
            GCancellable    *cancellable)
{
  CmDataset *dataset = self->dataset;
  guint n_events = cm_dataset_get_n_events (dataset), n_groups = cm_dataset_get_n_groups (dataset);
  const guint32 *order = cm_dataset_get_time_order (dataset);
  g_autofree guint *bucket_counts = g_new0 (guint, self->lanes->len * N_BUCKETS);
  guint32 keys[256];
  guint16 colors[256];

  for (int pass = 0; pass < 2; pass++)
    {
      for (guint r = 0; r < n_events; r++)
        {
          guint e = order[r];
          const CmEvent *event = cm_dataset_get_event (dataset, e);
          gint64 end = cm_time_get_end (&event->end);
          guint bucket = get_bucket (end - event->start.seconds);
          guint n = get_event_lane_keys (dataset, self->mode, n_groups, event, keys, colors,
                                         G_N_ELEMENTS (keys));

          if (cm_cancelled_at (cancellable, r))
            return FALSE;
          for (guint i = 0; i < n; i++)
            {
              guint32 l = keys[i] == CM_NONE ? no_key_lane : key_lane[keys[i]];
              Lane *lane = &g_array_index (self->lanes, Lane, l);
              Bucket *b = &lane->buckets[bucket];
              Entry *entry;

              if (pass == 0)
                {
                  bucket_counts[l * N_BUCKETS + bucket]++;
                  self->event_lanes[self->event_lane_index[e] + i] = l;
                  continue;
                }

              entry = &lane->all[lane->n_all];
              entry->start = event->start.seconds;
              entry->end = end;
              entry->event = e;
              entry->color = colors[i];
              entry->hatched = event->start.precision <= CM_PRECISION_DAY
                               && !(event->has_end && event->end.seconds > event->start.seconds);
              entry->reserved = 0;
              b->max_extent = MAX (b->max_extent, end - event->start.seconds);
              b->positions[b->n++] = lane->n_all++;
            }
        }

      if (pass == 0)
        for (guint l = 0; l < self->lanes->len; l++)
          {
            Lane *lane = &g_array_index (self->lanes, Lane, l);
            guint n_all = 0;

            for (guint b = 0; b < N_BUCKETS; b++)
              if (bucket_counts[l * N_BUCKETS + b] > 0)
                {
                  lane->buckets[b].positions = g_new (guint32, bucket_counts[l * N_BUCKETS + b]);
                  n_all += bucket_counts[l * N_BUCKETS + b];
                }
            lane->all = g_new (Entry, MAX (n_all, 1));
          }
    }
  return TRUE;
}

/* Each lane's summary by blocks (see Lane). FALSE if cancelled. */
static gboolean
summarize_lanes (CmTimelineLanes *self,
                 GCancellable    *cancellable)
{
  for (guint l = 0; l < self->lanes->len; l++)
    {
      Lane *lane = &g_array_index (self->lanes, Lane, l);

      lane->n_blocks = (lane->n_all + SKIP_BLOCK - 1) >> SKIP_SHIFT;
      lane->skip = g_new (gint64, MAX (lane->n_blocks, 1));
      lane->block_extent = g_new0 (guint8, MAX (lane->n_blocks, 1));
      for (guint i = 0; i < lane->n_all; i++)
        {
          guint8 *extent = &lane->block_extent[i >> SKIP_SHIFT];
          guint bits = g_bit_storage ((guint64) MAX (lane->all[i].end - lane->all[i].start, 0));

          if ((i & (SKIP_BLOCK - 1)) == 0)
            lane->skip[i >> SKIP_SHIFT] = lane->all[i].start;
          *extent = MAX (*extent, bits);
          if (cm_cancelled_at (cancellable, i + 1))
            return FALSE;
        }
    }
  return TRUE;
}

guint
_cm_timeline_lane_seek_block (const Lane *lane,
                              guint       lo,
                              gint64      t)
{
  guint hi, bound = 1;

  /* skip[lo - 1] < t throughout. */
  while (lo + bound - 1 < lane->n_blocks && lane->skip[lo + bound - 1] < t)
    {
      lo += bound;
      bound *= 2;
    }
  hi = MIN (lo + bound - 1, lane->n_blocks);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (lane->skip[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
_cm_timeline_lane_seek (const Lane *lane,
                        guint       from,
                        gint64      t)
{
  const Entry *all = lane->all;
  guint block, n;

  if (from >= lane->n_all || all[from].start >= t)
    return from;

  /* From's block starts before t, as from does. The position is in the
   * block before the one found (from on), or the first of that one. */
  block = _cm_timeline_lane_seek_block (lane, (from >> SKIP_SHIFT) + 1, t);
  from = MAX (from + 1, (block - 1) << SKIP_SHIFT);
  n = MIN (block << SKIP_SHIFT, lane->n_all);
  while (from < n && all[from].start < t)
    from++;
  return from;
}

LaneFilter *
_cm_timeline_lane_filter_new (const Lane    *lane,
                              const guint64 *filter)
{
  guint n_words = lane->n_all / 64 + 1;
  LaneFilter *self = g_new (LaneFilter, 1);
  guint32 rank = 0;

  self->bits = g_new0 (guint64, n_words);
  self->ranks = g_new (guint32, n_words);
  for (guint i = 0; i < lane->n_all; i++)
    {
      guint32 event = lane->all[i].event;

      self->bits[i >> 6] |= ((filter[event >> 6] >> (event & 63)) & 1) << (i & 63);
    }
  for (guint w = 0; w < n_words; w++)
    {
      self->ranks[w] = rank;
      rank += (guint32) __builtin_popcountll (self->bits[w]);
    }
  return self;
}

void
_cm_timeline_lane_filter_free (LaneFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->bits);
  g_free (self->ranks);
  g_free (self);
}

static int
compare_gaps_by_length (gconstpointer a,
                        gconstpointer b)
{
  const Gap *ga = a, *gb = b;
  gint64 la = ga->end - ga->start, lb = gb->end - gb->start;

  return la > lb ? -1 : la < lb;
}

/* The empty stretches between the events longer than a twentieth of
 * their span, longest first (the MAX_GAPS longest: the axis's candidate
 * breaks). An event counts for its duration when it has one, else for
 * its start: the imprecision of "December 2021" is not a month of
 * events. */
static void
find_gaps (CmDataset *dataset,
           Summary   *summary)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Gap));
  const guint32 *order = cm_dataset_get_time_order (dataset);
  /* Undated events, last in the time order, have no place in time. */
  guint n = cm_dataset_get_n_dated_events (dataset);
  gint64 min, max, span, reach = G_MININT64;

  summary->n_gaps = 0;
  if (!cm_dataset_get_time_range (dataset, &min, &max))
    return;

  span = max - min;
  for (guint r = 0; r < n; r++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, order[r]);
      gint64 end = event->has_end && event->end.seconds > event->start.seconds
                   ? cm_time_get_end (&event->end) : event->start.seconds + 1;

      if (reach != G_MININT64 && event->start.seconds - reach > span / 20)
        {
          Gap gap = { reach, event->start.seconds, 0 };

          g_array_append_val (found, gap);
        }
      reach = MAX (reach, end);
    }

  g_array_sort (found, compare_gaps_by_length);
  summary->n_gaps = MIN (found->len, MAX_GAPS);
  if (summary->n_gaps > 0)
    memcpy (summary->gaps, found->data, summary->n_gaps * sizeof (Gap));
}

/* The last time an event is known at: its end when it lasts, else its
 * start (the end of "February 2025" is not when anything happened; its
 * pale span may run past the right edge). */
static gint64
find_last_point (CmDataset *dataset)
{
  guint n = cm_dataset_get_n_events (dataset);
  gint64 last = G_MININT64;

  for (guint e = 0; e < n; e++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, e);

      if (event->undated)
        continue;
      last = MAX (last, event->has_end && event->end.seconds > event->start.seconds
                        ? cm_time_get_end (&event->end) : event->start.seconds);
    }
  return last;
}

/* What the axis needs of the whole dataset. */
static void
compute_summary (CmDataset *dataset,
                 Summary   *summary)
{
  find_gaps (dataset, summary);
  summary->last_point = find_last_point (dataset);
  summary->axis_offset = cm_timeline_layout_guess_axis_offset (dataset);
  summary->valid = TRUE;
}

/* ---------------------------------------------------------------------- */

static void
lanes_free (CmTimelineLanes *self)
{
  for (guint i = 0; i < self->lanes->len; i++)
    {
      Lane *lane = &g_array_index (self->lanes, Lane, i);

      for (guint b = 0; b < N_BUCKETS; b++)
        g_free (lane->buckets[b].positions);
      g_free (lane->all);
      g_free (lane->skip);
      g_free (lane->block_extent);
    }
  g_array_unref (self->lanes);
  g_free (self->event_lane_index);
  g_free (self->event_lanes);
  g_object_unref (self->dataset);
  g_free (self);
}

CmTimelineLanes *
cm_timeline_lanes_new (CmDataset    *dataset,
                       CmLaneMode    mode,
                       GCancellable *cancellable)
{
  CmTimelineLanes *self;
  g_autofree guint32 *key_lane = NULL;
  guint32 no_key_lane = CM_NONE;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (mode <= CM_LANE_MODE_NONE, NULL);

  self = g_new0 (CmTimelineLanes, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->dataset = g_object_ref (dataset);
  self->mode = mode;
  self->lanes = g_array_new (FALSE, TRUE, sizeof (Lane));

  key_lane = g_new (guint32, MAX (get_n_keys (dataset, mode), 1));
  if (!create_lanes (self, key_lane, &no_key_lane, cancellable) ||
      !fill_lanes (self, key_lane, no_key_lane, cancellable) ||
      !summarize_lanes (self, cancellable) ||
      g_cancellable_is_cancelled (cancellable))
    {
      lanes_free (self);
      return NULL;
    }
  compute_summary (dataset, &self->summary);

  return self;
}

CmTimelineLanes *
cm_timeline_lanes_ref (CmTimelineLanes *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cm_timeline_lanes_unref (CmTimelineLanes *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    lanes_free (self);
}

G_DEFINE_BOXED_TYPE (CmTimelineLanes, cm_timeline_lanes, cm_timeline_lanes_ref, cm_timeline_lanes_unref)

CmDataset *
cm_timeline_lanes_get_dataset (CmTimelineLanes *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dataset;
}

CmLaneMode
cm_timeline_lanes_get_mode (CmTimelineLanes *self)
{
  g_return_val_if_fail (self != NULL, CM_LANE_MODE_GROUP);

  return self->mode;
}

gint32
cm_timeline_lanes_get_axis_offset (CmTimelineLanes *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->summary.axis_offset;
}

typedef struct
{
  CmDataset  *dataset;
  CmLaneMode  mode;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->dataset);
  g_free (request);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Request *request = task_data;
  CmTimelineLanes *lanes;

  cm_thread_set_background ();
  lanes = cm_timeline_lanes_new (request->dataset, request->mode, cancellable);

  if (lanes == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, lanes, (GDestroyNotify) cm_timeline_lanes_unref);
}

void
cm_timeline_lanes_new_async (CmDataset           *dataset,
                             CmLaneMode           mode,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (mode <= CM_LANE_MODE_NONE);

  request = g_new0 (Request, 1);
  request->dataset = g_object_ref (dataset);
  request->mode = mode;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_timeline_lanes_new_async);
  g_task_set_name (task, "cm_timeline_lanes_new_async");
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_run_in_thread (task, build_thread);
}

CmTimelineLanes *
cm_timeline_lanes_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
