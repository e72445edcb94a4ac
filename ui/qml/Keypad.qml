import QtQuick

// Digits, back and clear; each key forwards its name.
Grid {
    id: root
    signal key(string name)
    property string namePrefix: "key"
    columns: 3
    spacing: 18
    Repeater {
        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        KButton {
            objectName: root.namePrefix + "_" + modelData
            width: 220
            text: modelData === "back" ? "⌫" : (modelData === "clear" ? "C" : modelData)
            onPressed: root.key(modelData)
        }
    }
}
