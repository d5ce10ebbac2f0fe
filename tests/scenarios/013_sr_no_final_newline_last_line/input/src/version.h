#pragma once
#define APP_VERSION "1.4.2"