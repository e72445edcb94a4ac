import QtQuick

// Where the customer is in a payment: service → number → cash → receipt. The current
// step is filled, the steps done carry a tick. Which step a screen is comes from the
// view-model (ui/views.py step_of); hidden where no payment is under way.
Row {
    id: root
    objectName: "stepIndicator"
    property int step: kiosk.guide.step
    visible: step > 0
    spacing: 0
    Theme { id: theme }
    Repeater {
        model: [qsTr("Service"), qsTr("Number"), qsTr("Cash"), qsTr("Receipt")]
        Row {
            id: stepItem
            required property int index
            required property string modelData
            readonly property int number: index + 1
            readonly property bool current: number === root.step
            readonly property bool done: number < root.step
            Rectangle {
                // A short line from the step before.
                visible: stepItem.number > 1
                anchors.verticalCenter: parent.verticalCenter
                width: 24
                height: 3
                color: stepItem.done || stepItem.current ? theme.accent : theme.muted
            }
            Rectangle {
                objectName: "step_" + stepItem.number
                // What a test reads: "current", "done" or "next".
                property string stepState: stepItem.current ? "current" : (stepItem.done ? "done" : "next")
                property alias text: label.text
                width: label.implicitWidth + 28
                height: label.implicitHeight + 14
                radius: height / 2
                color: stepItem.current ? theme.accent : (stepItem.done ? theme.panel : "transparent")
                border.color: stepItem.current || stepItem.done ? theme.accent : theme.muted
                border.width: 3
                Text {
                    id: label
                    anchors.centerIn: parent
                    text: (stepItem.done ? "✓ " : stepItem.number + " ") + stepItem.modelData
                    font.pixelSize: theme.small
                    font.bold: stepItem.current
                    color: stepItem.current ? theme.accentText : (stepItem.done ? theme.text : theme.muted)
                }
            }
        }
    }
}
