/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CM_TYPE_APPLICATION (cm_application_get_type ())
G_DECLARE_FINAL_TYPE (CmApplication, cm_application, CM, APPLICATION, AdwApplication)

CmApplication *cm_application_new             (void);
/* The bundled sample timeline: under $CHRONOMAP_DATADIR when set (the
 * build tree and the tests set it), else the installed data directory. */
GFile         *cm_application_get_sample_file (void);

G_END_DECLS
