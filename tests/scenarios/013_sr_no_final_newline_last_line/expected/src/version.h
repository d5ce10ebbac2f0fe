#pragma once
#define APP_VERSION "1.5.0"