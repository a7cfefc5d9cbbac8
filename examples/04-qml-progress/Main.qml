// SPDX-License-Identifier: MIT
// A C++ worker thread reports progress as events; the button emits an event that the
// worker handles. QML only speaks to EventManager and EventListener.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Aioevt

ApplicationWindow {
    id: window
    width: 480
    height: 360
    visible: true
    title: "aioevt: progress from a worker thread"

    property bool running: false

    function log(line) {
        logModel.append({ line: line })
        logView.positionViewAtEnd()
    }

    EventListener {
        name: "job.progress"
        onTriggered: (args, kwargs) => {
            bar.value = args[0] / args[1]
            window.log("progress " + args[0] + "/" + args[1] + " on " + kwargs.thread)
        }
    }
    EventListener {
        name: "job.done"
        onTriggered: (args, kwargs) => {
            window.running = false
            window.log("done: " + args[0] + " steps in " + kwargs.ms + " ms")
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        Label {
            text: "The worker thread emits job.progress; this window listens."
            font.bold: true
        }
        ProgressBar {
            id: bar
            Layout.fillWidth: true
            from: 0
            to: 1
        }
        Button {
            id: startButton
            objectName: "startButton"
            text: window.running ? "Working…" : "Start job on the worker thread"
            enabled: !window.running
            onClicked: {
                window.running = true
                bar.value = 0
                window.log("emit job.start from QML")
                EventManager.emitEvent("job.start", [20])
            }
        }
        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            ListView {
                id: logView
                anchors.fill: parent
                clip: true
                model: ListModel { id: logModel }
                delegate: Label { text: line; font.family: "monospace" }
            }
        }
    }
}
