import Foundation
import Plot

struct RegionField: Component {
    let name: String
    var body: Component {
        Label("Region") {
            Select(name: name, options: [("us", "US (api.pagerduty.com)"), ("eu", "EU (api.eu.pagerduty.com)")], selected: "us")
        }
        .class("field")
    }
}
