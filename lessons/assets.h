// assets.h: the lesson assets (assets/lessons/<id>.go and <id>.md) embedded into the
// lessons library at build time (lessons/embed_assets.cmake), so that the app and the
// tests never look for files on disk.
#pragma once

#include <string_view>
#include <vector>

namespace goscope::lessons {

// embedded_asset returns the text of assets/lessons/<name> ("fan-out.go") as it was when
// the library was built, or an empty view if there is no such asset.
std::string_view embedded_asset(std::string_view name);

// embedded_asset_names lists the embedded assets' file names, sorted.
std::vector<std::string_view> embedded_asset_names();

}  // namespace goscope::lessons
