/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-map-stats"

#include "config.h"

#include <string.h>

#include "cm-map-stats.h"
#include "cm-background.h"

#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

struct _CmMapStats
{
  CmDataset  *dataset;
  guint64    *visible;        /* NULL: every event counts */
  gsize       n_words;
  guint       n_places;
  guint32    *weight;         /* per place */
  guint32    *group;          /* per place, by the colour rule */
  guint32    *tally_start;    /* per place, and one past the last */
  CmMapTally *tallies;
};

static inline gboolean
counts (const guint64 *visible,
        guint          event)
{
  return visible == NULL || (visible[event / 64] >> (event % 64)) & 1;
}

guint32
cm_map_tally_winner (const CmMapTally *tallies,
                     guint             n_tallies)
{
  const CmMapTally *best = NULL;

  g_return_val_if_fail (tallies != NULL || n_tallies == 0, CM_NONE);

  for (guint i = 0; i < n_tallies; i++)
    if (best == NULL || tallies[i].count > best->count
        || (tallies[i].count == best->count
            && (tallies[i].first < best->first
                || (tallies[i].first == best->first && tallies[i].group < best->group))))
      best = &tallies[i];
  return best != NULL ? best->group : CM_NONE;
}

typedef struct
{
  guint32 group;
  guint32 rank;
} Vote;

/* The passes' arrays, tens of megabytes at a million events, are mapped
 * from the system and given back when freed: from malloc, glibc would
 * keep them in the worker's arena, resident for the life of the app. */
static gpointer
block_new (gsize size)
{
#ifdef G_OS_UNIX
  gpointer block = mmap (NULL, MAX (size, 1), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  if (block == MAP_FAILED)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  return block;
#else
  return g_malloc0 (size);
#endif
}

static void
block_free (gpointer block,
            gsize    size)
{
#ifdef G_OS_UNIX
  if (block != NULL)
    munmap (block, MAX (size, 1));
#else
  g_free (block);
#endif
}

/* Everything a pass needs, freed together. */
typedef struct
{
  guint32 *actor_group;       /* per actor */
  guint32 *event_groups;      /* distinct groups of each counted event, one run per event */
  gsize    groups_capacity;
  guint32 *event_start;       /* per event, and one past the last: its run */
  guint64  n_votes;           /* (place, group) votes of all counted events */
  guint64  n_entries;         /* counted (place, event) pairs */
  guint64 *place_votes;       /* per place: its votes */
  /* Per place, its run of either votes or events: */
  Vote    *votes;             /* (group, time rank) of each vote, or NULL */
  guint32 *place_events;      /* counted events, in stored order, or NULL */
  guint64 *place_start;       /* per place, and one past the last */
  guint    n_events;
  guint    n_places;
} Work;

static void
work_clear (Work *work)
{
  g_free (work->actor_group);
  block_free (work->event_groups, work->groups_capacity * sizeof (guint32));
  block_free (work->event_start, (work->n_events + 1) * sizeof (guint32));
  g_free (work->place_votes);
  if (work->place_start != NULL)
    {
      guint64 total = work->place_start[work->n_places];

      block_free (work->votes, total * sizeof (Vote));
      block_free (work->place_events, total * sizeof (guint32));
    }
  g_free (work->place_start);
}

/* First pass, over the events in stored order: the distinct groups of
 * each counted event and the weight of each place. */
static gboolean
gather_events (CmMapStats   *self,
               Work         *work,
               GCancellable *cancellable)
{
  CmDataset *dataset = self->dataset;
  guint n_events = cm_dataset_get_n_events (dataset);
  guint n_actors = cm_dataset_get_n_actors (dataset);
  guint n_groups = cm_dataset_get_n_groups (dataset);
  g_autofree guint32 *seen = g_new (guint32, MAX (n_groups, 1));
  gsize length = 0;

  work->actor_group = g_new (guint32, MAX (n_actors, 1));
  for (guint a = 0; a < n_actors; a++)
    work->actor_group[a] = cm_dataset_get_actor (dataset, a)->group;
  memset (seen, 0xff, MAX (n_groups, 1) * sizeof (guint32));
  work->n_events = n_events;
  work->event_start = block_new ((n_events + 1) * sizeof (guint32));
  work->groups_capacity = MAX (n_events, 16);
  work->event_groups = block_new (work->groups_capacity * sizeof (guint32));
  work->place_votes = g_new0 (guint64, MAX (self->n_places, 1));

  for (guint e = 0; e < n_events; e++)
    {
      const CmEvent *event;
      const guint32 *refs;
      guint n;

      if (cm_cancelled_at (cancellable, e))
        return FALSE;
      work->event_start[e] = length;
      if (!counts (self->visible, e))
        continue;
      event = cm_dataset_get_event (dataset, e);
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      if (length + n > work->groups_capacity)
        {
          gsize capacity = MAX (work->groups_capacity * 2, length + n);
          guint32 *grown = block_new (capacity * sizeof (guint32));

          memcpy (grown, work->event_groups, length * sizeof (guint32));
          block_free (work->event_groups, work->groups_capacity * sizeof (guint32));
          work->event_groups = grown;
          work->groups_capacity = capacity;
        }
      /* Once per group, however many of its actors the event has. */
      for (guint a = 0; a < n; a++)
        {
          guint32 group = work->actor_group[refs[a]];

          if (group != CM_NONE && seen[group] != e)
            {
              seen[group] = e;
              work->event_groups[length++] = group;
            }
        }
      refs = cm_dataset_get_event_places (dataset, event, &n);
      for (guint p = 0; p < n; p++)
        {
          self->weight[refs[p]]++;
          work->place_votes[refs[p]] += length - work->event_start[e];
        }
      work->n_votes += (guint64) n * (length - work->event_start[e]);
      work->n_entries += n;
    }
  work->event_start[n_events] = length;
  return TRUE;
}

/* Second pass: a counting sort by place of either the votes, each with
 * the time rank of its event, so that the third pass reads each place's
 * votes in one run, or, where events have so many groups and places
 * that their votes would take too much memory, the events. */
static gboolean
gather_places (CmMapStats   *self,
               Work         *work,
               GCancellable *cancellable)
{
  CmDataset *dataset = self->dataset;
  guint n_events = cm_dataset_get_n_events (dataset);
  gboolean by_vote = work->n_votes <= 4 * work->n_entries + 65536;
  g_autofree guint64 *cursor = g_new (guint64, MAX (self->n_places, 1));
  guint64 total = 0;

  work->n_places = self->n_places;
  work->place_start = g_new (guint64, self->n_places + 1);
  for (guint p = 0; p < self->n_places; p++)
    {
      work->place_start[p] = cursor[p] = total;
      total += by_vote ? work->place_votes[p] : self->weight[p];
    }
  work->place_start[self->n_places] = total;
  if (by_vote)
    work->votes = block_new (total * sizeof (Vote));
  else
    work->place_events = block_new (total * sizeof (guint32));

  for (guint e = 0; e < n_events; e++)
    {
      const guint32 *places;
      guint n, rank;

      if (cm_cancelled_at (cancellable, e))
        return FALSE;
      if (!counts (self->visible, e))
        continue;
      places = cm_dataset_get_event_places (dataset, cm_dataset_get_event (dataset, e), &n);
      rank = cm_dataset_get_time_rank (dataset, e);
      for (guint p = 0; p < n; p++)
        {
          if (!by_vote)
            work->place_events[cursor[places[p]]++] = e;
          else
            for (guint32 k = work->event_start[e]; k < work->event_start[e + 1]; k++)
              work->votes[cursor[places[p]]++] = (Vote) { work->event_groups[k], rank };
        }
    }
  return TRUE;
}

typedef struct
{
  guint32 *tally;
  guint32 *first;
  GArray  *touched;
} Ballot;

static inline void
ballot_add (Ballot  *ballot,
            guint32  group,
            guint32  rank)
{
  if (ballot->tally[group]++ == 0)
    {
      g_array_append_val (ballot->touched, group);
      ballot->first[group] = rank;
    }
  else
    ballot->first[group] = MIN (ballot->first[group], rank);
}

/* Third pass, place by place: the tallies and the winner. */
static gboolean
tally_places (CmMapStats   *self,
              Work         *work,
              GCancellable *cancellable)
{
  CmDataset *dataset = self->dataset;
  guint n_groups = cm_dataset_get_n_groups (dataset);
  g_autofree guint32 *tally = g_new0 (guint32, MAX (n_groups, 1));
  g_autofree guint32 *first = g_new (guint32, MAX (n_groups, 1));
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) tallies = g_array_new (FALSE, FALSE, sizeof (CmMapTally));
  Ballot ballot = { tally, first, touched };

  self->tally_start = g_new (guint32, self->n_places + 1);
  for (guint32 p = 0; p < self->n_places; p++)
    {
      guint start = tallies->len;

      if (cm_cancelled_at (cancellable, p))
        return FALSE;
      self->tally_start[p] = start;
      for (guint64 i = work->place_start[p]; i < work->place_start[p + 1]; i++)
        {
          guint32 e;
          guint rank;

          if (work->votes != NULL)
            {
              ballot_add (&ballot, work->votes[i].group, work->votes[i].rank);
              continue;
            }
          e = work->place_events[i];
          rank = cm_dataset_get_time_rank (dataset, e);
          for (guint32 k = work->event_start[e]; k < work->event_start[e + 1]; k++)
            ballot_add (&ballot, work->event_groups[k], rank);
        }
      for (guint t = 0; t < touched->len; t++)
        {
          guint32 group = g_array_index (touched, guint32, t);
          CmMapTally entry = { group, tally[group], first[group] };

          g_array_append_val (tallies, entry);
          tally[group] = 0;
        }
      g_array_set_size (touched, 0);
      self->group[p] = cm_map_tally_winner (&g_array_index (tallies, CmMapTally, start),
                                            tallies->len - start);
    }
  self->tally_start[self->n_places] = tallies->len;
  self->tallies = (CmMapTally *) g_array_free (g_steal_pointer (&tallies), FALSE);
  return TRUE;
}

CmMapStats *
cm_map_stats_new (CmDataset     *dataset,
                  const guint64 *visible,
                  GCancellable  *cancellable)
{
  g_autoptr(CmMapStats) self = NULL;
  Work work = { NULL, };
  gboolean done;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_new0 (CmMapStats, 1);
  self->dataset = g_object_ref (dataset);
  self->n_words = (cm_dataset_get_n_events (dataset) + 63) / 64;
  if (visible != NULL)
    self->visible = g_memdup2 (visible, MAX (self->n_words, 1) * sizeof (guint64));
  self->n_places = cm_dataset_get_n_places (dataset);
  self->weight = g_new0 (guint32, MAX (self->n_places, 1));
  self->group = g_new (guint32, MAX (self->n_places, 1));

  done = gather_events (self, &work, cancellable)
         && gather_places (self, &work, cancellable)
         && tally_places (self, &work, cancellable);
  work_clear (&work);
  return done ? g_steal_pointer (&self) : NULL;
}

void
cm_map_stats_free (CmMapStats *self)
{
  if (self == NULL)
    return;

  g_object_unref (self->dataset);
  g_free (self->visible);
  g_free (self->weight);
  g_free (self->group);
  g_free (self->tally_start);
  g_free (self->tallies);
  g_free (self);
}

gboolean
cm_map_stats_matches (CmMapStats    *self,
                      CmDataset     *dataset,
                      const guint64 *visible)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (dataset != self->dataset || (visible == NULL) != (self->visible == NULL))
    return FALSE;
  return visible == NULL
         || memcmp (visible, self->visible, self->n_words * sizeof (guint64)) == 0;
}

guint
cm_map_stats_get_weight (CmMapStats *self,
                         guint32     place)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (place < self->n_places, 0);

  return self->weight[place];
}

guint32
cm_map_stats_get_group (CmMapStats *self,
                        guint32     place)
{
  g_return_val_if_fail (self != NULL, CM_NONE);
  g_return_val_if_fail (place < self->n_places, CM_NONE);

  return self->group[place];
}

const CmMapTally *
cm_map_stats_get_tallies (CmMapStats *self,
                          guint32     place,
                          guint      *n_tallies)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (place < self->n_places, NULL);
  g_return_val_if_fail (n_tallies != NULL, NULL);

  *n_tallies = self->tally_start[place + 1] - self->tally_start[place];
  return self->tallies + self->tally_start[place];
}
