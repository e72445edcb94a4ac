import QtQuick

// Keys in a grid; each key forwards its name ("back" and "clear" are drawn as ⌫ and C).
Grid {
    id: root
    signal key(string name)
    property string namePrefix: "key"
    property var keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
    property int keyWidth: 220
    property int keyHeight: 140  // theme.touch; lower only where the window is short
    columns: 3
    spacing: 18
    Repeater {
        model: root.keys
        KButton {
            objectName: root.namePrefix + "_" + modelData
            width: root.keyWidth
            height: root.keyHeight
            text: modelData === "back" ? "⌫" : (modelData === "clear" ? "C" : modelData)
            onPressed: root.key(modelData)
        }
    }
}
