/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-map-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-loader.h"
#include "cm-map-layout.h"
#include "cm-mercator.h"

/* The map layout without a display: the colour rule, clusters that never
 * lose or double-count a place whatever is selected or filtered, names
 * that never overlap, framing. */

static CmDataset *
load_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static CmBasemap *
load_basemap (void)
{
  g_autoptr(GError) error = NULL;
  CmBasemap *basemap = cm_basemap_get_default (&error);

  g_assert_no_error (error);
  return basemap;
}

static guint32
place (CmDataset  *dataset,
       const char *id)
{
  guint32 index = cm_dataset_find_place (dataset, id);

  g_assert_cmpuint (index, !=, CM_NONE);
  return index;
}

static guint32
group (CmDataset  *dataset,
       const char *id)
{
  guint32 index = cm_dataset_find_group (dataset, id);

  g_assert_cmpuint (index, !=, CM_NONE);
  return index;
}

/* The places of an actor, as the map view highlights them. */
static GArray *
actor_places (CmDataset  *dataset,
              const char *id)
{
  GArray *places = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 actor = cm_dataset_find_actor (dataset, id);
  g_autofree guint8 *seen = g_new0 (guint8, cm_dataset_get_n_places (dataset));
  const guint32 *events;
  guint n;

  g_assert_cmpuint (actor, !=, CM_NONE);
  events = cm_dataset_get_actor_events (dataset, actor, &n);
  g_assert_cmpuint (n, >, 0);
  for (guint e = 0; e < n; e++)
    {
      guint n_places;
      const guint32 *p = cm_dataset_get_event_places (dataset,
                                                      cm_dataset_get_event (dataset, events[e]),
                                                      &n_places);

      for (guint k = 0; k < n_places; k++)
        if (!seen[p[k]])
          {
            seen[p[k]] = 1;
            g_array_append_val (places, p[k]);
          }
    }
  return places;
}

/* Every shown place is in exactly one mark, and the marks' counts add up
 * to the shown places (the view must hold the whole world). */
static void
assert_each_place_once (CmMapLayout *layout)
{
  CmDataset *dataset = cm_map_layout_get_dataset (layout);
  guint n_places = cm_dataset_get_n_places (dataset), n_marks, total = 0, shown = 0;
  const CmMapMark *marks = cm_map_layout_get_marks (layout, &n_marks);
  g_autofree guint8 *seen = g_new0 (guint8, n_places);

  for (guint m = 0; m < n_marks; m++)
    {
      guint n;
      const guint32 *members = cm_map_layout_get_mark_places (layout, m, &n);
      guint weight = 0;

      g_assert_cmpuint (n, ==, marks[m].n_places);
      g_assert_cmpuint (members[0], ==, marks[m].place);
      for (guint k = 0; k < n; k++)
        {
          g_assert_true (cm_map_layout_is_place_shown (layout, members[k]));
          g_assert_false (seen[members[k]]);
          seen[members[k]] = 1;
          g_assert_cmpint (cm_map_layout_find_place_mark (layout, members[k]), ==, (int) m);
          weight += cm_map_layout_get_place_weight (layout, members[k]);
        }
      g_assert_cmpuint (weight, ==, marks[m].weight);
      total += n;
    }
  for (guint p = 0; p < n_places; p++)
    {
      shown += cm_map_layout_is_place_shown (layout, p);
      g_assert_true (seen[p] == cm_map_layout_is_place_shown (layout, p));
    }
  g_assert_cmpuint (total, ==, shown);
}

static void
view_world (CmMapLayout *layout,
            guint        zoom)
{
  double size = 256 * exp2 (zoom);

  cm_map_layout_set_viewport (layout, 0, 0, zoom, size, size);
}

static void
test_colour_rule (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();

  cm_map_layout_set_dataset (layout, dataset);
  /* Kyiv: the invasion (Russia and Ukraine) and Zelensky's statement
   * (Ukraine): Ukraine's, never Russia's red. */
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, place (dataset, "kyiv")), ==,
                    group (dataset, "ukraine"));
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, place (dataset, "moscow")), ==,
                    group (dataset, "russia"));
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, place (dataset, "washington")), ==,
                    group (dataset, "us"));
  /* Ankara: two Ukrainian events, one Turkish actor. */
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, place (dataset, "ankara")), ==,
                    group (dataset, "ukraine"));
}

/* Ties go to the group of the earliest event, whatever the file order. */
static void
test_colour_tie (void)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  CmGroup g = { 0, };
  CmActor a = { 0, };
  CmPlace p = { 0, };
  CmEvent e = { 0, };
  guint32 red, blue, red_actor, blue_actor, where;
  guint64 only_late = 0;

  g.id = "red", g.name = "Red";
  red = cm_dataset_builder_add_group (builder, &g);
  g.id = "blue", g.name = "Blue";
  blue = cm_dataset_builder_add_group (builder, &g);
  a.id = "r", a.name = "R", a.group = red;
  red_actor = cm_dataset_builder_add_actor (builder, &a, NULL, 0);
  a.id = "b", a.name = "B", a.group = blue;
  blue_actor = cm_dataset_builder_add_actor (builder, &a, NULL, 0);
  p.id = "here", p.name = "Here";
  where = cm_dataset_builder_add_place (builder, &p);
  /* The red event is later in time but first in the file. */
  e.id = "late", e.title = "Late";
  e.start.seconds = e.end.seconds = 2000;
  cm_dataset_builder_add_event (builder, &e, &where, 1, &red_actor, 1, NULL, 0, NULL, 0, NULL, 0);
  e.id = "early", e.title = "Early";
  e.start.seconds = e.end.seconds = 1000;
  cm_dataset_builder_add_event (builder, &e, &where, 1, &blue_actor, 1, NULL, 0, NULL, 0, NULL, 0);
  dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));

  cm_map_layout_set_dataset (layout, dataset);
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, where), ==, blue);
  g_assert_cmpuint (cm_map_layout_get_place_weight (layout, where), ==, 2);

  /* The rule counts only the events the filter shows. */
  only_late = 1 << cm_dataset_find_event (dataset, "late");
  g_assert_true (cm_map_layout_set_filter (layout, &only_late));
  g_assert_cmpuint (cm_map_layout_get_place_group (layout, where), ==, red);
  g_assert_cmpuint (cm_map_layout_get_place_weight (layout, where), ==, 1);
  g_assert_false (cm_map_layout_set_filter (layout, &only_late));
}

/* The sample's Moscow/Kyiv case at a zoom where the two cluster. */
static void
test_moscow_kyiv (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(GArray) lavrov = actor_places (dataset, "lavrov");
  g_autoptr(GArray) zelensky = actor_places (dataset, "zelensky");
  guint32 moscow = place (dataset, "moscow"), kyiv = place (dataset, "kyiv");
  const CmMapMark *marks;
  guint n_marks;
  int mark;

  cm_map_layout_set_dataset (layout, dataset);
  view_world (layout, 2);
  cm_map_layout_build (layout, scene);
  assert_each_place_once (layout);
  mark = cm_map_layout_find_place_mark (layout, kyiv);
  g_assert_cmpint (mark, >=, 0);
  g_assert_cmpint (mark, ==, cm_map_layout_find_place_mark (layout, moscow));
  marks = cm_map_layout_get_marks (layout, &n_marks);
  g_assert_cmpuint (marks[mark].n_places, >=, 2);

  /* Lavrov's page rings Moscow: Kyiv stays on the map, in Moscow's ringed
   * cluster (counted), not dropped. */
  cm_map_layout_set_highlight (layout, (const guint32 *) lavrov->data, lavrov->len, FALSE);
  cm_map_layout_build (layout, scene);
  assert_each_place_once (layout);
  mark = cm_map_layout_find_place_mark (layout, moscow);
  marks = cm_map_layout_get_marks (layout, &n_marks);
  g_assert_cmpint (mark, >=, 0);
  g_assert_true (marks[mark].highlighted);
  g_assert_cmpuint (marks[mark].place, ==, moscow);
  g_assert_cmpint (cm_map_layout_find_place_mark (layout, kyiv), >=, 0);

  /* Zelensky's page rings Kyiv: Kyiv is counted once, by its own mark. */
  cm_map_layout_set_highlight (layout, (const guint32 *) zelensky->data, zelensky->len, FALSE);
  cm_map_layout_build (layout, scene);
  assert_each_place_once (layout);
  mark = cm_map_layout_find_place_mark (layout, kyiv);
  marks = cm_map_layout_get_marks (layout, &n_marks);
  g_assert_true (marks[mark].highlighted);
  g_assert_cmpuint (marks[mark].place, ==, kyiv);
  g_assert_cmpint (cm_map_layout_find_place_mark (layout, moscow), >=, 0);

  /* Both ringed (the invasion's places): two marks, a line between. */
  {
    guint32 both[] = { kyiv, moscow };

    cm_map_layout_set_highlight (layout, both, 2, TRUE);
    cm_map_layout_build (layout, scene);
    assert_each_place_once (layout);
    g_assert_cmpint (cm_map_layout_find_place_mark (layout, kyiv), !=,
                     cm_map_layout_find_place_mark (layout, moscow));
  }
}

static CmDataset *
build_dense (guint   n_places,
             guint   n_events,
             guint32 seed)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint g = 0; g < 5; g++)
    {
      g_autofree char *id = g_strdup_printf ("g%u", g);
      CmGroup group = { .id = id, .name = id };
      CmActor actor = { .id = id, .name = id, .group = g };

      cm_dataset_builder_add_group (builder, &group);
      cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }
  for (guint p = 0; p < n_places; p++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", p);
      /* Dense knots over Europe plus a few far away. */
      CmPlace place = { .id = id, .name = id,
                        .lat = p % 10 == 0 ? g_rand_double_range (rand, -60, 70)
                                           : g_rand_double_range (rand, 45, 55),
                        .lon = p % 10 == 0 ? g_rand_double_range (rand, -180, 180)
                                           : g_rand_double_range (rand, 0, 20) };

      cm_dataset_builder_add_place (builder, &place);
    }
  for (guint e = 0; e < n_events; e++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", e);
      CmEvent event = { .id = id, .title = id };
      guint32 where[2] = { g_rand_int_range (rand, 0, n_places),
                           g_rand_int_range (rand, 0, n_places) };
      guint32 who = g_rand_int_range (rand, 0, 5);
      /* Now and then an actor named twice, as files do. */
      guint32 whom[2] = { who, who };

      event.start.seconds = event.end.seconds = g_rand_int_range (rand, 0, 1000000);
      cm_dataset_builder_add_event (builder, &event, where, where[0] == where[1] ? 1 : 2,
                                    whom, e % 7 == 0 ? 2 : 1, NULL, 0, NULL, 0, NULL, 0);
    }
  return cm_dataset_builder_finish (g_steal_pointer (&builder));
}

static void
test_dense_random (void)
{
  g_autoptr(CmDataset) dataset = build_dense (1500, 3000, 11);
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint n_events = cm_dataset_get_n_events (dataset);
  guint n_places = cm_dataset_get_n_places (dataset);

  cm_map_layout_set_dataset (layout, dataset);
  for (guint round = 0; round < 12; round++)
    {
      g_autofree guint64 *filter = g_new0 (guint64, (n_events + 63) / 64);
      guint32 selected[8];
      guint n_selected = g_rand_int_range (rand, 0, 9);

      for (guint e = 0; e < n_events; e++)
        if (g_rand_int_range (rand, 0, 3) > 0)
          filter[e / 64] |= G_GUINT64_CONSTANT (1) << (e % 64);
      for (guint s = 0; s < n_selected; s++)
        selected[s] = g_rand_int_range (rand, 0, n_places);
      cm_map_layout_set_filter (layout, round % 3 == 0 ? NULL : filter);
      cm_map_layout_set_highlight (layout, selected, n_selected, round % 2 == 0);

      for (guint zoom = 0; zoom <= 5; zoom++)
        {
          view_world (layout, zoom);
          cm_map_layout_build (layout, scene);
          assert_each_place_once (layout);
        }
    }
}

static gboolean
rects_overlap (const CmRect *a,
               const CmRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* No name overlaps another, a marker, or leaves the view; country names
 * stay off place names and markers. */
static void
assert_labels_clear (CmMapLayout *layout,
                     CmScene     *scene)
{
  guint n_labels = cm_map_layout_get_n_labels (layout), n_marks, n_texts;
  const CmMapMark *marks = cm_map_layout_get_marks (layout, &n_marks);
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (CmRect));

  for (guint i = 0; i < n_labels; i++)
    {
      CmRect rect;

      cm_map_layout_get_label (layout, i, NULL, &rect);
      g_assert_cmpfloat (rect.x, >=, 0);
      g_assert_cmpfloat (rect.y, >=, 0);
      g_assert_cmpfloat (rect.x + rect.width, <=, cm_scene_get_width (scene));
      g_assert_cmpfloat (rect.y + rect.height, <=, cm_scene_get_height (scene));
      g_array_append_val (rects, rect);
    }
  /* Country names are the background layer's text. */
  n_texts = cm_scene_get_n_texts (scene);
  for (guint t = 0; t < n_texts; t++)
    {
      CmRect rect;

      if (cm_scene_get_text_layer (scene, t) != CM_SCENE_LAYER_BACKGROUND)
        continue;
      cm_scene_get_text (scene, t, &rect, NULL);
      g_array_append_val (rects, rect);
    }
  for (guint i = 0; i < rects->len; i++)
    {
      const CmRect *a = &g_array_index (rects, CmRect, i);

      for (guint j = i + 1; j < rects->len; j++)
        g_assert_false (rects_overlap (a, &g_array_index (rects, CmRect, j)));
      for (guint m = 0; m < n_marks; m++)
        {
          CmRect box = { marks[m].x - marks[m].radius, marks[m].y - marks[m].radius,
                         2 * marks[m].radius, 2 * marks[m].radius };

          g_assert_false (rects_overlap (a, &box));
        }
    }
}

/* The Lewis & Clark story: Great Falls and Fort Mandan sit close at the
 * zooms a window frames them in; at every size and zoom around that, no
 * name overlaps another or a marker. */
static void
test_labels_storymap (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "import",
                                                 "storymap.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) story = cm_loader_load_file (file, NULL, &error);
  g_autoptr(CmBasemap) basemap = load_basemap ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  const int sizes[][2] = { { 1100, 215 }, { 1000, 240 }, { 700, 300 }, { 420, 300 }, { 1600, 600 } };
  guint named = 0;

  g_assert_no_error (error);
  cm_map_layout_set_basemap (layout, basemap);
  cm_map_layout_set_dataset (layout, story);
  cm_map_layout_set_font (layout, "Cantarell 10");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double latitude, longitude, zoom;

      g_assert_true (cm_map_layout_frame (layout, NULL, 0, sizes[s][0], sizes[s][1], 40, 6, TRUE,
                                          &latitude, &longitude, &zoom));
      for (double z = zoom - 1; z <= zoom + 2.01; z += 0.25)
        {
          cm_map_layout_set_viewport (layout, latitude, longitude, z, sizes[s][0], sizes[s][1]);
          cm_map_layout_build (layout, scene);
          assert_labels_clear (layout, scene);
          for (guint t = 0; t < cm_scene_get_n_texts (scene); t++)
            named += g_str_equal (pango_layout_get_text (cm_scene_get_text (scene, t, NULL, NULL)),
                                  "Great Falls");
        }
    }
  /* Named where there is room, not left out altogether. */
  g_assert_cmpuint (named, >, 0);
}

static void
test_labels (void)
{
  g_autoptr(CmDataset) sample = load_sample ();
  g_autoptr(CmDataset) dense = build_dense (800, 1500, 3);
  g_autoptr(CmBasemap) basemap = load_basemap ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  double latitude, longitude, zoom;

  cm_map_layout_set_basemap (layout, basemap);
  cm_map_layout_set_dataset (layout, sample);
  cm_map_layout_set_font (layout, "Cantarell 10");
  g_assert_true (cm_map_layout_frame (layout, NULL, 0, 1150, 670, 40, 6, FALSE,
                                      &latitude, &longitude, &zoom));
  cm_map_layout_set_exact_zoom (layout, TRUE);
  cm_map_layout_set_viewport (layout, latitude, longitude, zoom, 1150, 670);
  cm_map_layout_build (layout, scene);
  assert_labels_clear (layout, scene);
  /* Every place of the sample is named at this size, alone or in its
   * cluster's name. */
  {
    g_autoptr(GString) all = g_string_new (NULL);

    for (guint t = 0; t < cm_scene_get_n_texts (scene); t++)
      if (cm_scene_get_text_layer (scene, t) == CM_SCENE_LAYER_LABELS)
        g_string_append_printf (all, "%s|",
                                pango_layout_get_text (cm_scene_get_text (scene, t, NULL, NULL)));
    for (guint p = 0; p < cm_dataset_get_n_places (sample); p++)
      {
        const char *name = cm_dataset_get_place (sample, p)->name;

        if (strstr (all->str, name) == NULL)
          g_error ("%s is not named on the map: %s", name, all->str);
      }
  }

  cm_map_layout_set_dataset (layout, dense);
  for (guint z = 2; z <= 6; z++)
    {
      cm_map_layout_set_viewport (layout, 50, 10, z, 900, 600);
      cm_map_layout_build (layout, scene);
      g_assert_cmpuint (cm_map_layout_get_n_labels (layout), >, 0);
      assert_labels_clear (layout, scene);
    }
}

/* Country names in the interface's language, from the shipped table. */
static void
test_country_names (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "basemap", NULL);
  g_autofree char *atlas = g_build_filename (dir, "countries-50m.json", NULL);
  g_autofree char *names = g_build_filename (dir, "country-names.tsv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmBasemap) basemap = cm_basemap_new_from_file (atlas, &error);
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  int ukraine = -1;
  gboolean found = FALSE;

  g_assert_no_error (error);
  ukraine = cm_basemap_find_country (basemap, 49.0, 31.0);
  g_assert_cmpint (ukraine, >=, 0);
  g_assert_cmpstr (cm_basemap_get_country_label (basemap, ukraine), ==, "Ukraine");

  g_assert_true (cm_basemap_load_labels (basemap, names, "uk", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cm_basemap_get_country_label (basemap, ukraine), ==, "Україна");
  g_assert_cmpstr (cm_basemap_get_country_label (basemap,
                                                 cm_basemap_find_country (basemap, 24, 45)),
                   ==, "Саудівська Аравія");

  /* Drawn so by the layout, where there is room. */
  cm_map_layout_set_basemap (layout, basemap);
  cm_map_layout_set_dataset (layout, dataset);
  cm_map_layout_set_viewport (layout, 48, 30, 4, 1400, 900);
  cm_map_layout_build (layout, scene);
  for (guint t = 0; t < cm_scene_get_n_texts (scene); t++)
    if (cm_scene_get_text_layer (scene, t) == CM_SCENE_LAYER_BACKGROUND)
      found |= g_str_equal (pango_layout_get_text (cm_scene_get_text (scene, t, NULL, NULL)),
                            "Румунія");
  g_assert_true (found);

  /* A language the table lacks: English names, no error. */
  g_assert_true (cm_basemap_load_labels (basemap, names, "xx", &error));
  g_assert_cmpstr (cm_basemap_get_country_label (basemap, ukraine), ==, "Ukraine");
}

static void
test_frame (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  struct { double width, height; gboolean whole; } sizes[] = {
    { 1200, 700, FALSE }, { 1200, 700, TRUE }, { 380, 500, TRUE }, { 2400, 500, FALSE },
    /* The window's map under the timeline: the whole zoom above the
     * world's width (3) would cut Moscow and Riyadh off. */
    { 1280, 260, TRUE },
  };

  cm_map_layout_set_dataset (layout, dataset);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double latitude, longitude, zoom, margin = 40;

      g_assert_true (cm_map_layout_frame (layout, NULL, 0, sizes[s].width, sizes[s].height,
                                          margin, 7, sizes[s].whole,
                                          &latitude, &longitude, &zoom));
      /* The world never repeats across the view. */
      g_assert_cmpfloat (256 * exp2 (zoom), >=, sizes[s].width - 1e-6);
      /* Whole when that frames the places without repeating the world. */
      if (sizes[s].whole && sizes[s].height >= 500)
        g_assert_cmpfloat (zoom, ==, floor (zoom));
      cm_map_layout_set_viewport (layout, latitude, longitude, zoom, sizes[s].width,
                                  sizes[s].height);

      /* Every place inside the view with its margin, unless the view is
       * too narrow for the world to be shown whole. */
      for (guint p = 0; p < cm_dataset_get_n_places (dataset); p++)
        {
          double x, y;

          g_assert_true (cm_map_layout_get_place_position (layout, p, &x, &y));
          if (256 * exp2 (zoom) > sizes[s].width + 1)
            {
              g_assert_cmpfloat (x, >=, margin - 1);
              g_assert_cmpfloat (x, <=, sizes[s].width - margin + 1);
            }
          g_assert_cmpfloat (y, >=, margin - 1);
          g_assert_cmpfloat (y, <=, sizes[s].height - margin + 1);
        }
    }

  /* Across the antimeridian: the narrow way round. */
  {
    g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
    g_autoptr(CmDataset) pacific = NULL;
    g_autoptr(CmMapLayout) other = cm_map_layout_new ();
    CmPlace fiji = { .id = "fiji", .name = "Suva", .lat = -18.1, .lon = 178.4 };
    CmPlace samoa = { .id = "samoa", .name = "Apia", .lat = -13.8, .lon = -171.8 };
    double latitude, longitude, zoom;

    cm_dataset_builder_add_place (builder, &fiji);
    cm_dataset_builder_add_place (builder, &samoa);
    pacific = cm_dataset_builder_finish (g_steal_pointer (&builder));
    cm_map_layout_set_dataset (other, pacific);
    g_assert_true (cm_map_layout_frame (other, NULL, 0, 800, 600, 40, 12, FALSE,
                                        &latitude, &longitude, &zoom));
    g_assert_cmpfloat (fabs (longitude), >, 170);
    g_assert_cmpfloat (zoom, >, 4);
  }

  /* Nothing to frame: the world, not repeated. */
  {
    g_autoptr(CmMapLayout) empty = cm_map_layout_new ();
    double latitude, longitude, zoom;

    g_assert_false (cm_map_layout_frame (empty, NULL, 0, 1000, 600, 40, 7, TRUE,
                                         &latitude, &longitude, &zoom));
    g_assert_cmpfloat (256 * exp2 (zoom), >=, 1000);
  }
}

static void
test_describe (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) layout = cm_map_layout_new ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  guint32 riyadh = place (dataset, "riyadh"), kyiv = place (dataset, "kyiv");
  g_autofree char *one = NULL;
  g_autofree char *cluster = NULL;

  cm_map_layout_set_dataset (layout, dataset);
  view_world (layout, 2);
  cm_map_layout_build (layout, scene);
  one = cm_map_layout_describe_mark (layout, cm_map_layout_find_place_mark (layout, riyadh));
  g_assert_cmpstr (one, ==, "Riyadh, 7 events");
  cluster = cm_map_layout_describe_mark (layout, cm_map_layout_find_place_mark (layout, kyiv));
  g_assert_true (g_str_has_prefix (cluster, "Cluster of "));
  g_assert_nonnull (strstr (cluster, "Kyiv, Moscow"));
}

static void
test_dataset_indexes (void)
{
  g_autoptr(CmDataset) dataset = build_dense (300, 2000, 9);
  guint n_events = cm_dataset_get_n_events (dataset);

  /* Each index lists exactly the events that name the place, in time
   * order, as a scan would find them. */
  for (guint p = 0; p < cm_dataset_get_n_places (dataset); p++)
    {
      guint n, expected = 0;
      const guint32 *events = cm_dataset_get_place_events (dataset, p, &n);

      for (guint i = 0; i < n; i++)
        if (i > 0)
          g_assert_cmpuint (cm_dataset_get_time_rank (dataset, events[i - 1]), <,
                            cm_dataset_get_time_rank (dataset, events[i]));
      for (guint e = 0; e < n_events; e++)
        {
          guint n_places;
          const guint32 *places = cm_dataset_get_event_places (dataset,
                                                               cm_dataset_get_event (dataset, e),
                                                               &n_places);

          gboolean here = FALSE;

          for (guint k = 0; k < n_places; k++)
            here |= places[k] == p;
          expected += here;
        }
      g_assert_cmpuint (n, ==, expected);
    }
  for (guint a = 0; a < cm_dataset_get_n_actors (dataset); a++)
    {
      guint n, expected = 0;

      cm_dataset_get_actor_events (dataset, a, &n);
      for (guint e = 0; e < n_events; e++)
        {
          guint n_actors;
          const guint32 *actors = cm_dataset_get_event_actors (dataset,
                                                               cm_dataset_get_event (dataset, e),
                                                               &n_actors);

          gboolean theirs = FALSE;

          for (guint k = 0; k < n_actors; k++)
            theirs |= actors[k] == a;
          expected += theirs;
        }
      g_assert_cmpuint (n, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map-layout/colour/rule", test_colour_rule);
  g_test_add_func ("/map-layout/colour/tie-earliest", test_colour_tie);
  g_test_add_func ("/map-layout/cluster/moscow-kyiv", test_moscow_kyiv);
  g_test_add_func ("/map-layout/cluster/dense-random", test_dense_random);
  g_test_add_func ("/map-layout/labels/no-overlap", test_labels);
  g_test_add_func ("/map-layout/labels/storymap", test_labels_storymap);
  g_test_add_func ("/map-layout/labels/country-names", test_country_names);
  g_test_add_func ("/map-layout/frame", test_frame);
  g_test_add_func ("/map-layout/describe", test_describe);
  g_test_add_func ("/map-layout/dataset-indexes", test_dataset_indexes);

  return g_test_run ();
}
