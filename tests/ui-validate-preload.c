/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loaded with LD_PRELOAD into gtk4-builder-tool by validate-ui.sh.
 *
 * GTK 4.8's tool knows only GTK's own types and the functions it can find
 * with dlsym(), so on Chronomap's .ui files it fails on every Adw* or Cm*
 * class and on every signal handler (those are static functions bound with
 * gtk_widget_class_bind_template_callback()). This module
 *
 * - links libadwaita and Chronomap's whole private library, so that an
 *   <object class="..."> of theirs resolves through its *_get_type(),
 * - registers libadwaita's public types before the tool's main() runs, so
 *   that a <template parent="Adw..."> resolves too, and
 * - replaces gtk_builder_new() (the tool's only way to make a builder) with
 *   one whose scope accepts any signal handler name, as the gui tests check
 *   handlers for real when the widgets initialise their templates.
 *
 * Everything else (unknown types, properties, property values, children,
 * malformed XML) still fails validation.
 */

#include <adwaita.h>

#define CM_TYPE_VALIDATE_SCOPE (cm_validate_scope_get_type ())
G_DECLARE_FINAL_TYPE (CmValidateScope, cm_validate_scope, CM, VALIDATE_SCOPE, GtkBuilderCScope)

struct _CmValidateScope
{
  GtkBuilderCScope parent_instance;
};

static GtkBuilderScopeInterface *parent_scope_iface;

static void cm_validate_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmValidateScope, cm_validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                      cm_validate_scope_iface_init))

static void
ignore_signal (void)
{
}

static GClosure *
cm_validate_scope_create_closure (GtkBuilderScope        *scope,
                                  GtkBuilder             *builder,
                                  const char             *function_name,
                                  GtkBuilderClosureFlags  flags,
                                  GObject                *object,
                                  GError                **error)
{
  GClosure *closure;

  /* A handler the tool can see (a public function) is checked as usual. */
  closure = parent_scope_iface->create_closure (scope, builder, function_name,
                                                flags, object, NULL);
  if (closure != NULL)
    return closure;

  return g_cclosure_new (G_CALLBACK (ignore_signal), NULL, NULL);
}

static void
cm_validate_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  parent_scope_iface = g_type_interface_peek_parent (iface);
  iface->create_closure = cm_validate_scope_create_closure;
}

static void
cm_validate_scope_class_init (CmValidateScopeClass *klass)
{
}

static void
cm_validate_scope_init (CmValidateScope *self)
{
}

GtkBuilder *
gtk_builder_new (void)
{
  g_autoptr (GtkBuilderScope) scope = g_object_new (CM_TYPE_VALIDATE_SCOPE, NULL);

  return g_object_new (GTK_TYPE_BUILDER, "scope", scope, NULL);
}

static void cm_ui_validate_preload_init (void) __attribute__ ((constructor));

static void
cm_ui_validate_preload_init (void)
{
  /* Also calls gtk_init(), which the tool would call a moment later anyway. */
  adw_init ();
}
